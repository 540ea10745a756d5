using System.Text.Json.Nodes;
using RoutedNet.Datastore.Tests.Crds;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>What the rendered DaemonSet and its ConfigMap promise a node (the README's "Install on a cluster").</summary>
public sealed class ChartDaemonSetTests
{
    private static JsonNode PodSpec(IReadOnlyList<JsonObject> objects) =>
        ChartRender.Single(objects, "DaemonSet", "routednet-node")["spec"]!["template"]!["spec"]!;

    private static JsonNode Container(JsonNode pod, string list, string name) =>
        Assert.Single(pod[list]!.AsArray(), c => (string?)c!["name"] == name)!;

    private static Dictionary<string, string> Mounts(JsonNode container) =>
        container["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (string)m!["mountPath"]!);

    private static Dictionary<string, string> HostPaths(JsonNode pod) =>
        pod["volumes"]!.AsArray().Where(v => v!["hostPath"] is not null).ToDictionary(v => (string)v!["name"]!, v => (string)v!["hostPath"]!["path"]!);

    private static JsonNode? Env(JsonNode container, string name) =>
        container["env"]!.AsArray().SingleOrDefault(e => (string?)e!["name"] == name);

    [Fact]
    public void Defaults_DaemonSet_HostNetworkTolerantCriticalOneNodeAtATime()
    {
        var objects = ChartRender.Objects("{}");
        var daemonSet = ChartRender.Single(objects, "DaemonSet", "routednet-node");
        var pod = PodSpec(objects);

        Assert.Equal("kube-system", (string?)daemonSet["metadata"]!["namespace"]);
        Assert.Equal("""{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}""", daemonSet["spec"]!["updateStrategy"]!.ToJsonString());
        Assert.True((bool)pod["hostNetwork"]!);
        Assert.Equal("ClusterFirstWithHostNet", (string?)pod["dnsPolicy"]);
        Assert.Equal("system-node-critical", (string?)pod["priorityClassName"]);
        Assert.Equal("""[{"operator":"Exists"}]""", pod["tolerations"]!.ToJsonString());
        Assert.Equal("""{"kubernetes.io/os":"linux"}""", pod["nodeSelector"]!.ToJsonString());
        Assert.True((long)pod["terminationGracePeriodSeconds"]! > 30, "the grace must outlast the agent's own 30 s shutdown");
        Assert.Equal("routednet-node", (string?)pod["serviceAccountName"]);
    }

    [Fact]
    public void Defaults_InstallCni_SameImageNoCapabilitiesOnlyTheBinDir()
    {
        var pod = PodSpec(ChartRender.Objects("{}"));
        var init = Container(pod, "initContainers", "install-cni");

        Assert.Equal("routednet/routednet:0.13.0", (string?)init["image"]);
        Assert.Equal("IfNotPresent", (string?)init["imagePullPolicy"]);
        Assert.Equal("""["/usr/bin/routednet-node","install-cni"]""", init["command"]!.ToJsonString());
        Assert.Equal("""{"drop":["ALL"]}""", init["securityContext"]!["capabilities"]!.ToJsonString());
        Assert.False((bool)init["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Null(init["securityContext"]!["privileged"]);
        Assert.Equal(new Dictionary<string, string> { ["cni-bin"] = "/host/opt/cni/bin" }, Mounts(init));
        Assert.Equal("/opt/cni/bin", HostPaths(pod)["cni-bin"]);
    }

    [Fact]
    public void Defaults_Agent_EnvFromTheDownwardApiMountsAndProbes()
    {
        var pod = PodSpec(ChartRender.Objects("{}"));
        var agent = Container(pod, "containers", "routednet-node");

        Assert.Equal("routednet/routednet:0.13.0", (string?)agent["image"]);
        Assert.Equal("""["/usr/bin/routednet-node"]""", agent["command"]!.ToJsonString());
        Assert.Equal("""["--config","/etc/routednet/config.yaml"]""", agent["args"]!.ToJsonString());
        Assert.Equal("spec.nodeName", (string?)Env(agent, "NODENAME")!["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)Env(agent, "POD_NAMESPACE")!["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("kubernetes", (string?)Env(agent, "ROUTEDNET_DATASTORE")!["value"]);
        Assert.Null(Env(agent, "KUBERNETES_SERVICE_HOST"));
        Assert.True((bool)agent["securityContext"]!["privileged"]!);

        var mounts = Mounts(agent);
        var hostPaths = HostPaths(pod);
        foreach (var (volume, mountPath, hostPath) in new[]
        {
            ("cni-bin", "/host/opt/cni/bin", "/opt/cni/bin"),
            ("cni-conf", "/host/etc/cni/net.d", "/etc/cni/net.d"),
            ("run-routednet", "/run/routednet", "/run/routednet"),
            ("var-lib-routednet", "/var/lib/routednet", "/var/lib/routednet"),
            ("cni-data", "/var/lib/cni/routednet", "/var/lib/cni/routednet"),
            ("netns", "/var/run/netns", "/var/run/netns"),
        })
        {
            Assert.Equal(mountPath, mounts[volume]);
            Assert.Equal(hostPath, hostPaths[volume]);
        }
        Assert.Equal("HostToContainer", (string?)agent["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "netns")!["mountPropagation"]);
        Assert.Equal("/etc/routednet", mounts["config"]);

        foreach (var (probe, path) in new[] { ("readinessProbe", "/readyz"), ("livenessProbe", "/livez"), ("startupProbe", "/livez") })
        {
            var get = agent[probe]!["httpGet"]!;
            Assert.Equal((path, 9099L, "127.0.0.1"), ((string?)get["path"], (long)get["port"]!, (string?)get["host"]));
        }
        Assert.Equal(9091L, (long)agent["ports"]![0]!["containerPort"]!);
    }

    [Fact]
    public void CustomDirs_HostPathsPortsAndConflistNameFollowTheValues()
    {
        var objects = ChartRender.Objects(ValuesMatrix.CustomDirs);
        var pod = PodSpec(objects);
        var agent = Container(pod, "containers", "routednet-node");

        Assert.Equal("/home/kubernetes/bin", HostPaths(pod)["cni-bin"]);
        Assert.Equal("/etc/cni/custom.d", HostPaths(pod)["cni-conf"]);
        Assert.Equal("10-routednet.conflist", (string?)Env(agent, "ROUTEDNET_CNI_CONF_NAME")!["value"]);
        Assert.Equal("9000", (string?)Env(agent, "ROUTEDNET_CNI_MTU")!["value"]);
        Assert.Equal("10.0.0.1", (string?)Env(agent, "KUBERNETES_SERVICE_HOST")!["value"]);
        Assert.Equal("6443", (string?)Env(agent, "KUBERNETES_SERVICE_PORT")!["value"]);
        Assert.Equal(9199L, (long)agent["readinessProbe"]!["httpGet"]!["port"]!);
        Assert.Null(agent["ports"]);
        var config = YamlJson.Read((string)ChartRender.Single(objects, "ConfigMap", "routednet-node-config")["data"]!["config.yaml"]!)!;
        Assert.Equal(("default-route", "^bond0$", 9199L, 0L, "debug"), ((string?)config["nodeIpAutodetection"], (string?)config["nodeIpInterface"], (long)config["healthPort"]!, (long)config["metricsPort"]!, (string?)config["logLevel"]));
    }

    /// <summary>An unknown key in the agent's config file stops it (exit 2): every key the chart writes is one of its flags.</summary>
    [Theory]
    [MemberData(nameof(ValuesMatrix.Good), MemberType = typeof(ValuesMatrix))]
    public void ConfigMap_EveryKey_IsASettingOfTheAgent(string name, string values)
    {
        var help = Proc.Run(RepoPaths.Binary("routednet-node"), "--help").Stdout;
        var config = YamlJson.Read((string)ChartRender.Single(ChartRender.Objects(values), "ConfigMap", "routednet-node-config")["data"]!["config.yaml"]!)!.AsObject();

        Assert.NotEmpty(config);
        foreach (var (key, _) in config)
        {
            var flag = "--" + string.Concat(key.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
            Assert.True(help.Contains(flag + " ", StringComparison.Ordinal) || help.Contains(flag + "\n", StringComparison.Ordinal), $"{name}: config key {key} is no routednet-node setting ({flag})");
        }
    }

    [Fact]
    public void ConfigChange_RollsTheAgents()
    {
        string Checksum(string values) =>
            (string)PodSpecParent(ChartRender.Objects(values))["metadata"]!["annotations"]!["checksum/config"]!;

        Assert.Equal(Checksum("{}"), Checksum("{}"));
        Assert.NotEqual(Checksum("{}"), Checksum("logLevel: debug"));
    }

    private static JsonNode PodSpecParent(IReadOnlyList<JsonObject> objects) =>
        ChartRender.Single(objects, "DaemonSet", "routednet-node")["spec"]!["template"]!;
}
