using System.CommandLine;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `-n/--namespace` for namespaced kinds (NetworkPolicy, KubernetesNetworkPolicy), as kubectl: an
/// object is named NAMESPACE/NAME, or NAME with -n NAMESPACE, or NAME alone in "default".
/// </summary>
internal static class NamespaceOption
{
    public static Option<string?> Create() => new("--namespace", "-n")
    {
        Description = "The namespace of a namespaced kind (networkpolicy, kubernetesnetworkpolicy); NAME may also be NAMESPACE/NAME",
    };

    /// <summary>The store key of <paramref name="name"/> for <paramref name="kind"/>.</summary>
    public static string Key(IKindOps kind, string name, string? ns)
    {
        if (!kind.Namespaced)
        {
            return ns is null ? name : throw new CtlException($"{kind.Kind} is cluster-scoped: --namespace does not apply");
        }
        if (name.Contains(StoreKeys.Separator, StringComparison.Ordinal))
        {
            return ns is null || name.StartsWith(ns + StoreKeys.Separator, StringComparison.Ordinal)
                ? name
                : throw new CtlException($"{kind.Kind} \"{name}\" names a namespace other than --namespace {ns}");
        }
        return StoreKeys.Namespaced(ns ?? KindOps<NetworkPolicy>.DefaultNamespace, name);
    }
}
