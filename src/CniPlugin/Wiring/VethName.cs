using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>The host end of a pod's veth, named by <see cref="HostVethName"/> (shared with the node agent, which computes it from a Pod).</summary>
internal static class VethName
{
    public const string Prefix = HostVethName.Prefix;

    public static string For(CniEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return For(env.Args.PodNamespace, env.Args.PodName, env.ContainerId, env.IfName);
    }

    public static string For(string? podNamespace, string? podName, string containerId, string ifName) =>
        HostVethName.For(podNamespace, podName, containerId, ifName);

    /// <summary>Whether <paramref name="name"/> has the shape of a name this plugin gives (the agent finds its veths this way).</summary>
    public static bool IsOurs(string name) => HostVethName.IsOurs(name);
}
