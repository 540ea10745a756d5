using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin;

/// <summary>
/// Stands in for the `routednet-ipam` role until its implementation (src/CniPlugin/IpamRole/)
/// lands: every verb is a clear "plugin not available" error instead of wiring a pod by mistake.
/// </summary>
internal sealed class IpamRoleNotBuilt : ICniPlugin
{
    public CniResult Add(CniRequest request) => throw NotBuilt();

    public void Del(CniRequest request) => throw NotBuilt();

    public void Check(CniRequest request) => throw NotBuilt();

    public void Status(CniRequest request) => throw NotBuilt();

    public void Gc(CniRequest request) => throw NotBuilt();

    private static CniException NotBuilt() =>
        new(CniErrorCode.PluginNotAvailable, $"{PluginRoles.IpamName}: the IPAM role is not built yet; use another IPAM plugin such as host-local");
}
