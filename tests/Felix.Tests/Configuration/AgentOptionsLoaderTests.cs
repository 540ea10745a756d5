using System.Net;
using RoutedNet.Felix.Configuration;

namespace RoutedNet.Felix.Tests.Configuration;

public sealed class AgentOptionsLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-felix-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AgentOptions Load(string[] args, Dictionary<string, string>? env = null) =>
        AgentOptionsLoader.Load(args, name => env?.GetValueOrDefault(name), TextWriter.Null)!;

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_dir, "node.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Load_ContractFlags_AllApplied()
    {
        var options = Load(["--datastore", "sqlite:///tmp/x.db", "--node-name", "node-1", "--node-ip", "172.18.0.2",
            "--api-socket", "/run/rn/n1.sock", "--health-port", "19099"]);

        Assert.Equal("node-1", options.NodeName);
        Assert.Equal("sqlite:///tmp/x.db", options.Datastore);
        Assert.Equal(IPAddress.Parse("172.18.0.2"), options.NodeIp);
        Assert.Equal("/run/rn/n1.sock", options.ApiSocket);
        Assert.Equal(19099, options.HealthPort);
    }

    [Fact]
    public void Load_OnlyNodeName_DefaultsFromDesign()
    {
        var options = Load(["--node-name", "n1"]);

        Assert.Equal("sqlite:///var/lib/routednet/store.db", options.Datastore);
        Assert.Equal("/run/routednet/node.sock", options.ApiSocket);
        Assert.Null(options.NodeIp);
    }

    [Fact]
    public void Load_OnlyNodeName_HealthOnLoopbackMetricsOnTheirOwnPort()
    {
        var options = Load(["--node-name", "n1"]);

        Assert.Equal(IPAddress.Loopback, options.HealthHost);
        Assert.Equal(9099, options.HealthPort);
        Assert.Equal(9091, options.MetricsPort);
        Assert.Equal(IPAddress.Any, options.MetricsHost);
    }

    [Fact]
    public void Load_MetricsFlagsAndEnv_Applied()
    {
        var options = Load(["--node-name", "n1", "--metrics-port", "19091"], new() { ["ROUTEDNET_METRICS_HOST"] = "127.0.0.1", ["ROUTEDNET_HEALTH_HOST"] = "0.0.0.0" });

        Assert.Equal(19091, options.MetricsPort);
        Assert.Equal(IPAddress.Loopback, options.MetricsHost);
        Assert.Equal(IPAddress.Any, options.HealthHost);
    }

    [Fact]
    public void Load_EtcdSettings_FlagsEnvAndFileCombinedPasswordNeverPrinted()
    {
        var file = WriteConfig("nodeName: n1\netcdPassword: file-pw\n");

        var options = Load(
            ["--config", file, "--datastore", "etcds://10.0.0.1:2379", "--etcd-ca-cert-file", "/etc/rn/ca.pem", "--etcd-cert-file", "/etc/rn/c.pem", "--etcd-key-file", "/etc/rn/k.pem"],
            new() { ["ROUTEDNET_ETCD_USERNAME"] = "node" });

        Assert.Equal(new RoutedNet.Datastore.EtcdSecurity { CaCertFile = "/etc/rn/ca.pem", CertFile = "/etc/rn/c.pem", KeyFile = "/etc/rn/k.pem", Username = "node", Password = "file-pw" }, options.Etcd);
        Assert.DoesNotContain("file-pw", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EtcdTlsFilesWithPlainTextUrl_FatalError()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", "--datastore", "etcd://10.0.0.1:2379", "--etcd-ca-cert-file", "/etc/rn/ca.pem"]));

        Assert.Contains("etcds://", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MetricsOnHealthPortAtAnotherAddress_FatalErrorNamesBoth()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", "--metrics-port", "9099", "--metrics-host", "0.0.0.0"]));

        Assert.Contains("--metrics-host", e.Message, StringComparison.Ordinal);
        Assert.Contains("--health-host", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EnvironmentOnly_NodeNameAndDatastoreFromEnv()
    {
        var options = Load([], new() { ["NODENAME"] = "from-env", ["ROUTEDNET_DATASTORE"] = "etcd://127.0.0.1:2379" });

        Assert.Equal("from-env", options.NodeName);
        Assert.Equal("etcd://127.0.0.1:2379", options.Datastore);
    }

    [Fact]
    public void Load_FlagEnvAndFile_FlagBeatsEnvBeatsFile()
    {
        var file = WriteConfig("nodeName: from-file\nhealthPort: 1111\nresyncInterval: 2m\napiSocket: /run/file.sock\n");

        var options = Load(["--config", file, "--health-port", "3333"], new() { ["NODENAME"] = "from-env", ["ROUTEDNET_HEALTH_PORT"] = "2222" });

        Assert.Equal("from-env", options.NodeName);
        Assert.Equal(3333, options.HealthPort);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ResyncInterval);
        Assert.Equal("/run/file.sock", options.ApiSocket);
    }

    [Fact]
    public void Load_NoNodeName_FatalErrorSaysHowToGiveIt()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(["--datastore", "kubernetes"]));

        Assert.Contains("--node-name", e.Message, StringComparison.Ordinal);
        Assert.Contains("NODENAME", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--node-name", "Node_1", "--node-name")]
    [InlineData("--datastore", "mysql://db", "--datastore")]
    [InlineData("--node-ip", "300.1.1.1", "--node-ip")]
    [InlineData("--health-port", "70000", "--health-port")]
    [InlineData("--metrics-port", "99999", "--metrics-port")]
    [InlineData("--metrics-host", "localhost", "--metrics-host")]
    [InlineData("--api-socket", "relative.sock", "--api-socket")]
    [InlineData("--resync-interval", "soon", "--resync-interval")]
    [InlineData("--log-level", "loud", "--log-level")]
    [InlineData("--node-ip-interface", "eth[", "--node-ip-interface")]
    [InlineData("--node-ip-autodetection", "first-found", "--node-ip-autodetection")]
    public void Load_BadFlagValue_FatalErrorNamesTheFlag(string flag, string value, string named)
    {
        string[] args = flag == "--node-name" ? [flag, value] : ["--node-name", "n1", flag, value];

        var e = Assert.Throws<ConfigurationException>(() => Load(args));

        Assert.StartsWith(named, e.Message, StringComparison.Ordinal);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadEnvValue_FatalErrorNamesTheVariable()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1"], new() { ["ROUTEDNET_HEALTH_PORT"] = "http" }));

        Assert.StartsWith("env ROUTEDNET_HEALTH_PORT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInFile_FatalErrorNamesFileAndKey()
    {
        var file = WriteConfig("nodeName: n1\nnodeAddress: 1.2.3.4\n");

        var e = Assert.Throws<ConfigurationException>(() => Load(["--config", file]));

        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains("nodeAddress", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileIsNotYaml_FatalError()
    {
        var file = WriteConfig("nodeName: [unclosed\n");

        Assert.Throws<ConfigurationException>(() => Load(["--config", file]));
    }

    [Fact]
    public void Load_MissingFile_FatalErrorNamesIt()
    {
        var missing = Path.Combine(_dir, "nope.yaml");

        var e = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", "--config", missing]));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFlag_FatalError()
    {
        Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", "--nodename", "x"]));
    }

    [Fact]
    public void Load_Help_ReturnsNullAndPrintsEveryFlag()
    {
        var output = new StringWriter();

        var options = AgentOptionsLoader.Load(["--help"], _ => null, output);

        Assert.Null(options);
        foreach (var setting in Setting.All)
        {
            Assert.Contains(setting.Flag, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("15", 15_000)]
    [InlineData("1.5s", 1_500)]
    public void ParseDuration_Units_ParsedAsMilliseconds(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), AgentOptionsLoader.ParseDuration(text));
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1s")]
    [InlineData("5 parsecs")]
    public void ParseDuration_Invalid_Throws(string text)
    {
        Assert.Throws<FormatException>(() => AgentOptionsLoader.ParseDuration(text));
    }

    [Fact]
    public void Load_KubernetesDatastore_InternalIpByDefaultKubeconfigFromTheFlag()
    {
        var options = Load(["--datastore", "kubernetes", "--node-name", "n1", "--kubeconfig", "/etc/rn/kubeconfig"]);

        Assert.True(options.IsKubernetes);
        Assert.Equal(NodeIpAutodetection.KubernetesInternalIp, options.NodeIpAutodetection);
        Assert.Equal("/etc/rn/kubeconfig", options.Kubeconfig);
    }

    [Fact]
    public void Load_KubeconfigVariable_LeftToTheConnectionLayerWhichReadsItsList()
    {
        var options = Load(["--node-name", "n1"], new() { ["ROUTEDNET_DATASTORE"] = "kubernetes", ["KUBECONFIG"] = "/a:/b" });

        Assert.True(options.IsKubernetes);
        Assert.Null(options.Kubeconfig);
    }

    [Fact]
    public void Load_KubernetesWithDefaultRoute_Kept()
    {
        var options = Load(["--datastore", "kubernetes", "--node-name", "n1", "--node-ip-autodetection", "default-route"]);

        Assert.Equal(NodeIpAutodetection.DefaultRoute, options.NodeIpAutodetection);
    }

    [Fact]
    public void Load_InternalIpWithoutKubernetes_FatalErrorNamesTheSetting()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(["--node-name", "n1", "--node-ip-autodetection", "kubernetes-internal-ip"]));

        Assert.StartsWith("--node-ip-autodetection: kubernetes-internal-ip needs --datastore kubernetes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SqliteDatastore_DefaultRoute()
    {
        Assert.Equal(NodeIpAutodetection.DefaultRoute, Load(["--node-name", "n1"]).NodeIpAutodetection);
    }
}
