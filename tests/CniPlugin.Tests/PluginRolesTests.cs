using RoutedNet.CniPlugin.Wiring;

namespace RoutedNet.CniPlugin.Tests;

public class PluginRolesTests
{
    [Theory]
    [InlineData("routednet")]
    [InlineData("/opt/cni/bin/routednet")]
    public void ForName_PluginName_WiringRole(string argv0) =>
        Assert.IsType<RoutedNetPlugin>(PluginRoles.ForName(argv0));

    [Theory]
    [InlineData("routednet-ipam")]
    [InlineData("/opt/cni/bin/routednet-ipam")]
    public void ForName_IpamName_NotTheWiringRole(string argv0) =>
        Assert.IsNotType<RoutedNetPlugin>(PluginRoles.ForName(argv0));
}
