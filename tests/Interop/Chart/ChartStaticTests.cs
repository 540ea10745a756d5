using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.Datastore.Tests.Crds;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// charts/routednet without a cluster: `helm lint --strict` and `helm template` (the real helm)
/// over a matrix of values; every rendered object valid for Kubernetes' schemas with unknown fields
/// refused; bad values refused with the schema's or the chart's message.
/// </summary>
public sealed class ChartStaticTests
{
    [Theory]
    [MemberData(nameof(ValuesMatrix.Good), MemberType = typeof(ValuesMatrix))]
    public void Lint_GoodValues_PassesStrict(string name, string values)
    {
        var lint = ChartRender.Lint(values);

        Assert.True(lint.ExitCode == 0, $"{name}: {lint.Stdout} {lint.Stderr}");
        Assert.DoesNotContain("[WARNING]", lint.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", lint.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValuesMatrix.Good), MemberType = typeof(ValuesMatrix))]
    public void Template_GoodValues_EveryObjectValidUnknownFieldsIncluded(string name, string values)
    {
        var objects = ChartRender.Objects(values);

        Assert.All(objects, o => Assert.Empty(KubernetesSchemas.Errors(o)));
        Assert.Empty(KubernetesModels.Errors(objects));
        Assert.Contains(objects, o => (string?)o["kind"] == "DaemonSet");
        Assert.Contains(objects, o => (string?)o["kind"] == "BGPConfiguration");
        Assert.True(objects.Count >= 4, name);
    }

    [Theory]
    [MemberData(nameof(ValuesMatrix.Bad), MemberType = typeof(ValuesMatrix))]
    public void Template_BadValues_RefusedWithTheReason(string values, string expected)
    {
        var result = ChartRender.Template(values);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout.Trim());
    }

    /// <summary>The checks are no rubber stamp: a typo, a wrong type, a missing required field and a CR's unknown field are each caught.</summary>
    [Fact]
    public void SchemaChecks_MisspeltFieldWrongTypeMissingNameUnknownCrField_EachCaught()
    {
        var objects = ChartRender.Objects("{}");
        var daemonSet = ChartRender.Single(objects, "DaemonSet", "routednet-node");
        var pool = ChartRender.Single(objects, "IPPool", "default-ipv4");

        var typo = (JsonObject)daemonSet.DeepClone();
        typo["spec"]!["template"]!["spec"]!["hostNetwrok"] = true;
        var wrongType = (JsonObject)daemonSet.DeepClone();
        wrongType["spec"]!["template"]!["spec"]!["hostNetwork"] = "yes";
        var crTypo = (JsonObject)pool.DeepClone();
        crTypo["spec"]!["blocksize"] = 26;

        Assert.Contains("hostNetwrok", string.Join('\n', KubernetesSchemas.Errors(typo)), StringComparison.Ordinal);
        Assert.Contains("hostNetwork", string.Join('\n', KubernetesSchemas.Errors(wrongType)), StringComparison.Ordinal);
        Assert.Contains("blocksize", string.Join('\n', KubernetesSchemas.Errors(crTypo)), StringComparison.Ordinal);
        var unnamed = (JsonObject)daemonSet.DeepClone();
        unnamed["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject().Remove("name");
        Assert.Contains("must have required property name", string.Join('\n', KubernetesModels.Errors([unnamed])), StringComparison.Ordinal);
        Assert.Contains("hostNetwork must be boolean", string.Join('\n', KubernetesModels.Errors([wrongType])), StringComparison.Ordinal);
    }

    [Fact]
    public void ChartVersion_IsTheReleaseTheBinariesPrint()
    {
        var release = Regex.Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props")), "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        var chart = YamlJson.Read(File.ReadAllText(Path.Combine(ChartRender.ChartDirectory, "Chart.yaml")))!;

        Assert.Equal(release, (string?)chart["version"]);
        Assert.Equal(release, (string?)chart["appVersion"]);
        Assert.Equal("v2", (string?)chart["apiVersion"]);
        Assert.Equal(">=1.29.0-0", (string?)chart["kubeVersion"]);
    }

    [Fact]
    public void Template_PeersWithSecrets_PeersReferenceTheSecretAndNeverHoldAPassword()
    {
        var objects = ChartRender.Objects(ValuesMatrix.PeersWithSecrets);

        var r1 = ChartRender.Single(objects, "BGPPeer", "tor-r1")["spec"]!;
        Assert.Equal("""{"name":"tor-bgp","key":"r1"}""", r1["passwordSecretRef"]!.ToJsonString());
        Assert.Equal(0L, (long)r1["holdTime"]!);
        Assert.Equal(4200000000L, (long)ChartRender.Single(objects, "BGPPeer", "rr")["spec"]!["asNumber"]!);
        Assert.Equal(4200000000L, (long)ChartRender.Single(objects, "BGPConfiguration", "default")["spec"]!["asNumber"]!);
        Assert.Null(ChartRender.Single(objects, "BGPPeer", "lab")["spec"]!["passwordSecretRef"]);
        Assert.Null(ChartRender.Single(objects, "BGPPeer", "lab")["spec"]!["bfd"]);
        Assert.Equal("""{"detectMultiplier":3,"mode":"Graceful","receiveInterval":100,"transmitInterval":100}""", ChartRender.Single(objects, "BGPPeer", "tor-bfd")["spec"]!["bfd"]!.ToJsonString());
        Assert.Equal("{}", ChartRender.Single(objects, "BGPPeer", "tor-bfd-defaults")["spec"]!["bfd"]!.ToJsonString());
        var shaped = ChartRender.Single(objects, "BGPPeer", "tor-shaped")["spec"]!;
        Assert.Equal("""["accept-default","no-leaks"]""", shaped["filters"]!.ToJsonString());
        Assert.Equal((4200000001L, "Self", 1L, 1L, "None", 4294967295L, 0L),
            ((long)shaped["localASNumber"]!, (string?)shaped["nextHopMode"], (long)shaped["numAllowedLocalASNumbers"]!, (long)shaped["ttlSecurity"]!, (string?)shaped["sourceAddress"], (long)shaped["localPref"]!, (long)shaped["asPathPrepend"]!));
        Assert.Null(ChartRender.Single(objects, "BGPPeer", "lab")["spec"]!["filters"]);
        Assert.DoesNotContain(objects.Where(o => (string?)o["kind"] == "BGPPeer"), o => o["spec"]!["password"] is not null);
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "Secret");
    }

    [Fact]
    public void Template_OtherNamespace_EverythingNamespacedAndBoundThere()
    {
        var objects = ChartRender.Objects("{}", ns: "routednet-system");

        foreach (var kind in (string[])["DaemonSet", "ServiceAccount", "ConfigMap", "Role", "RoleBinding"])
        {
            Assert.All(objects.Where(o => (string?)o["kind"] == kind), o => Assert.Equal("routednet-system", (string?)o["metadata"]!["namespace"]));
        }
        foreach (var kind in (string[])["ClusterRoleBinding", "RoleBinding"])
        {
            Assert.Equal("routednet-system", (string?)ChartRender.Single(objects, kind, "routednet-node")["subjects"]![0]!["namespace"]);
        }
        Assert.All(objects.Where(o => ((string?)o["kind"]) is "ClusterRole" or "ClusterRoleBinding" or "IPPool" or "BGPConfiguration"), o => Assert.Null(o["metadata"]!["namespace"]));
    }

    [Fact]
    public void Template_Extras_LabelsAndAnnotationsOnEveryObjectAndThePods()
    {
        var objects = ChartRender.Objects(ValuesMatrix.Extras);

        Assert.All(objects, o => Assert.Equal("net", (string?)o["metadata"]!["labels"]!["team"]));
        Assert.All(objects, o => Assert.Equal("net-team", (string?)o["metadata"]!["annotations"]!["owner"]));
        var pod = ChartRender.Single(objects, "DaemonSet", "routednet-node")["spec"]!["template"]!;
        Assert.Equal("true", (string?)pod["metadata"]!["labels"]!["canary"]);
        Assert.Equal("true", (string?)pod["metadata"]!["annotations"]!["prometheus.io/scrape"]);
        Assert.Equal("registry.example/net/routednet:0.13.0-rc1", (string?)pod["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("regcred", (string?)pod["spec"]!["imagePullSecrets"]![0]!["name"]);
        // Values maps merge into the defaults (helm): the Linux selector stays beside the user's.
        Assert.Equal("""{"kubernetes.io/os":"linux","node-role.example/edge":"true"}""", pod["spec"]!["nodeSelector"]!.ToJsonString());
        // The selector never takes user labels: it cannot change on upgrade.
        Assert.Equal("""{"app.kubernetes.io/name":"routednet","app.kubernetes.io/component":"node"}""",
            ChartRender.Single(objects, "DaemonSet", "routednet-node")["spec"]!["selector"]!["matchLabels"]!.ToJsonString());
    }
}
