using RoutedNet.Felix.Configuration;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>The agent settings the chart renders for the conflist and uninstall (DESIGN.md Contracts).</summary>
public sealed class InstallSettingsTests
{
    private static AgentOptions Load(string[] args, Dictionary<string, string>? env = null) =>
        AgentOptionsLoader.Load(args, name => env?.GetValueOrDefault(name), TextWriter.Null)!;

    [Fact]
    public void Load_OnlyNodeName_NoConflistNoUninstallDetection_DefaultNames()
    {
        var options = Load(["--node-name", "n1"]);

        Assert.Null(options.CniConfDir);
        Assert.Null(options.PodNamespace);
        Assert.Equal("05-routednet.conflist", options.CniConfName);
        Assert.Equal("routednet", options.CniNetworkName);
        Assert.Equal(0, options.CniMtu);
        Assert.Equal("/host/opt/cni/bin", options.CniBinDir);
        Assert.Equal("routednet-node", options.DaemonSetName);
    }

    [Fact]
    public void Load_ChartEnvironment_Applied()
    {
        var options = Load(["--node-name", "n1"], new()
        {
            ["ROUTEDNET_CNI_CONF_DIR"] = "/host/etc/cni/net.d",
            ["ROUTEDNET_CNI_CONF_NAME"] = "10-routednet.conflist",
            ["ROUTEDNET_CNI_NETWORK_NAME"] = "k8s-pod-network",
            ["ROUTEDNET_CNI_MTU"] = "1450",
            ["ROUTEDNET_CNI_BIN_DIR"] = "/host/opt/cni/bin2",
            ["POD_NAMESPACE"] = "kube-system",
            ["ROUTEDNET_DAEMONSET_NAME"] = "rn-node",
        });

        Assert.Equal(
            ("/host/etc/cni/net.d", "10-routednet.conflist", "k8s-pod-network", 1450, "/host/opt/cni/bin2", "kube-system", "rn-node"),
            (options.CniConfDir, options.CniConfName, options.CniNetworkName, options.CniMtu, options.CniBinDir, options.PodNamespace, options.DaemonSetName));
    }

    [Theory]
    [InlineData("--cni-conf-dir", "etc/cni", "is not an absolute directory path")]
    [InlineData("--cni-conf-name", "05-routednet.conf", "is not a file name ending in .conflist")]
    [InlineData("--cni-conf-name", "../x.conflist", "is not a file name ending in .conflist")]
    [InlineData("--cni-network-name", "-bad", "is not a CNI network name")]
    [InlineData("--cni-mtu", "40", "is not an MTU")]
    [InlineData("--pod-namespace", "Kube_System", "is not a namespace name")]
    [InlineData("--daemonset-name", "Routednet", "is not an object name")]
    public void Load_BadValue_OneLineNamingTheFlag(string flag, string value, string message)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", flag, value]));

        Assert.Equal($"{flag}: '{value}' {message}", error.Message[..(flag.Length + value.Length + 5 + message.Length)]);
    }
}
