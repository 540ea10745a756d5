using System.CommandLine;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// <c>--kubeconfig PATH</c> on every command, for <c>--datastore kubernetes</c>: as kubectl, the
/// flag wins over $KUBECONFIG, which wins over the pod's service account.
/// </summary>
internal static class KubeconfigFlag
{
    private static readonly Option<string?> Option = new("--kubeconfig")
    {
        Description = "kubeconfig of the API server for --datastore kubernetes [env KUBECONFIG; in a pod, its service account]",
        Recursive = true,
    };

    /// <summary>This invocation's flag (null: $KUBECONFIG or in-cluster), read by <see cref="CtlRunner"/>.</summary>
    public static string? Current { get; private set; }

    public static void AddTo(RootCommand root) => root.Options.Add(Option);

    /// <summary>Called once per process, after parsing.</summary>
    public static void Read(ParseResult parse) => Current = parse.GetValue(Option) is { Length: > 0 } path ? path : null;
}
