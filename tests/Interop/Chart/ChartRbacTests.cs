using RoutedNet.Tests.TestKit.Chart;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// The chart's RBAC, rendered, is exactly tests/TestKit/Chart/rbac.golden.yaml: the file the
/// Integration tests give the agent on the stand-in (where each rule is shown to be needed), so a
/// rule added or dropped in the chart shows in review as a golden diff. RNT_UPDATE_GOLDEN=1 rewrites it.
/// </summary>
public sealed class ChartRbacTests
{
    private static readonly string[] RbacTemplates =
        ["serviceaccount.yaml", "clusterrole.yaml", "clusterrolebinding.yaml", "role.yaml", "rolebinding.yaml"];

    [Fact]
    public void Rbac_Rendered_EqualsTheGoldenTheAgentIsTestedWith()
    {
        var show = RbacTemplates.SelectMany(t => new[] { "--show-only", "templates/" + t }).ToArray();
        var rendered = ChartRender.Template(File.ReadAllText(ChartRbac.ValuesPath), ChartRbac.ReleaseNamespace, show);
        Assert.True(rendered.ExitCode == 0, rendered.Stderr);

        if (Environment.GetEnvironmentVariable("RNT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(ChartRbac.GoldenPath, rendered.Stdout);
        }
        Assert.Equal(File.ReadAllText(ChartRbac.GoldenPath), rendered.Stdout);
    }

    [Fact]
    public void Rbac_NoPeerSecrets_NoSecretRuleAtAllNeverAnEmptyResourceNames()
    {
        var role = ChartRender.Single(ChartRender.Objects("{}"), "Role", "routednet-node");

        var rule = Assert.Single(role["rules"]!.AsArray());
        Assert.Equal("""{"apiGroups":["apps"],"resources":["daemonsets"],"resourceNames":["routednet-node"],"verbs":["get","watch"]}""", rule!.ToJsonString());
    }

    [Fact]
    public void Rbac_PeerSecrets_GetOnExactlyThoseNamesOnce()
    {
        var role = ChartRender.Single(ChartRender.Objects(ValuesMatrix.PeersWithSecrets), "Role", "routednet-node");

        var secrets = Assert.Single(role["rules"]!.AsArray(), r => r!["resources"]![0]!.GetValue<string>() == "secrets")!;
        Assert.Equal("""["rr-bgp","tor-bgp"]""", secrets["resourceNames"]!.ToJsonString());
        Assert.Equal("""["get"]""", secrets["verbs"]!.ToJsonString());
    }

    [Fact]
    public void Rbac_Off_NoRbacNoServiceAccountAndTheGivenOneUsed()
    {
        var objects = ChartRender.Objects(ValuesMatrix.RbacOff);

        Assert.DoesNotContain(objects, o => ((string?)o["kind"]) is "ClusterRole" or "ClusterRoleBinding" or "Role" or "RoleBinding" or "ServiceAccount");
        Assert.Equal("my-network-sa", (string?)ChartRender.Single(objects, "DaemonSet", "routednet-node")["spec"]!["template"]!["spec"]!["serviceAccountName"]);
    }
}
