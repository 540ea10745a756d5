using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>The real kubectl pointed at one API server (its kubeconfig), with its discovery cache in the test's own directory.</summary>
public sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public IReadOnlyList<string> GlobalArgs { get; } = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir];

    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin) =>
        Proc.RunAsync(KubeTools.Kubectl, [.. GlobalArgs, .. args], stdin);

    /// <summary>Runs and returns stdout; throws with the command and its output when kubectl fails.</summary>
    public async Task<string> CheckAsync(params string[] args) => (await RunAsync(args).ConfigureAwait(false)).EnsureSuccess().Stdout;

    /// <summary>Runs with <paramref name="manifest"/> as <c>-f -</c>.</summary>
    public async Task<ProcessResult> WithManifestAsync(string manifest, params string[] args) =>
        await RunAsync([.. args, "-f", "-"], manifest).ConfigureAwait(false);

    /// <summary>Starts a long-running kubectl (a watch), whose output lines arrive as it prints them.</summary>
    public StreamingCommand Start(params string[] args) => StreamingCommand.Start(KubeTools.Kubectl, [.. GlobalArgs, .. args]);
}
