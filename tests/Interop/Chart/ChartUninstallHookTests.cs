using RoutedNet.Tests.TestKit.Chart;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// The post-delete hook (templates/uninstall-*.yaml) as `helm template` renders it: its RBAC is
/// exactly tests/TestKit/Chart/uninstall-rbac.golden.yaml (what the Integration tier gives
/// `routednet-node cleanup --cluster`, rule by rule); the Job starts where no pod network is left
/// (host network, every taint tolerated) and runs the cleanup from the chart's image unprivileged;
/// helm makes the RBAC before the Job and deletes all four once they succeeded; off, none renders.
/// RNT_UPDATE_GOLDEN=1 rewrites the golden.
/// </summary>
public sealed class ChartUninstallHookTests
{
    private const string Name = ChartRbac.UninstallServiceAccount;

    [Fact]
    public void HookRbac_Rendered_EqualsTheGoldenTheCleanupIsTestedWith()
    {
        var rendered = ChartRender.Template(File.ReadAllText(ChartRbac.ValuesPath), ChartRbac.ReleaseNamespace, "--show-only", "templates/uninstall-rbac.yaml");
        Assert.True(rendered.ExitCode == 0, rendered.Stderr);

        if (Environment.GetEnvironmentVariable("RNT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(ChartRbac.UninstallGoldenPath, rendered.Stdout);
        }
        Assert.Equal(File.ReadAllText(ChartRbac.UninstallGoldenPath), rendered.Stdout);
    }

    [Fact]
    public void Hook_Defaults_HostNetworkJobTolerantUnprivilegedRunningTheClusterCleanup()
    {
        var job = ChartRender.Single(ChartRender.Objects("{}"), "Job", Name);

        Assert.Equal("kube-system", (string?)job["metadata"]!["namespace"]);
        var pod = job["spec"]!["template"]!["spec"]!;
        Assert.True((bool?)pod["hostNetwork"]);
        Assert.Equal("Never", (string?)pod["restartPolicy"]);
        Assert.Equal(Name, (string?)pod["serviceAccountName"]);
        Assert.Equal("""[{"operator":"Exists"}]""", pod["tolerations"]!.ToJsonString());
        var container = Assert.Single(pod["containers"]!.AsArray())!;
        Assert.Equal("""["/usr/bin/routednet-node","cleanup","--cluster"]""", container["command"]!.ToJsonString());
        Assert.Equal("routednet/routednet:" + (string?)job["metadata"]!["labels"]!["app.kubernetes.io/version"], (string?)container["image"]);
        var security = container["securityContext"]!;
        Assert.True((bool?)security["runAsNonRoot"]);
        Assert.False((bool?)security["allowPrivilegeEscalation"]);
        Assert.Equal("""["ALL"]""", security["capabilities"]!["drop"]!.ToJsonString());
        Assert.NotNull(job["spec"]!["activeDeadlineSeconds"]);
        Assert.NotNull(job["spec"]!["backoffLimit"]);
    }

    [Fact]
    public void Hook_Annotations_PostDeleteRbacBeforeTheJobAllDeletedOnSuccess()
    {
        var objects = ChartRender.Objects("{}");

        var hook = objects.Where(o => (string?)o["metadata"]!["name"] == Name).ToList();
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "Job", "ServiceAccount"], hook.Select(o => (string)o["kind"]!).Order());
        Assert.All(hook, o =>
        {
            Assert.Equal("post-delete", (string?)o["metadata"]!["annotations"]!["helm.sh/hook"]);
            Assert.Equal("before-hook-creation,hook-succeeded", (string?)o["metadata"]!["annotations"]!["helm.sh/hook-delete-policy"]);
        });
        var weight = (string kind) => int.Parse((string)hook.Single(o => (string?)o["kind"] == kind)["metadata"]!["annotations"]!["helm.sh/hook-weight"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All((string[])["ServiceAccount", "ClusterRole", "ClusterRoleBinding"], kind => Assert.True(weight(kind) < weight("Job"), $"{kind} is made after the Job"));
    }

    [Fact]
    public void Hook_CleanupOff_NothingOfItRenders()
    {
        var objects = ChartRender.Objects(ValuesMatrix.UninstallCleanupOff);

        Assert.DoesNotContain(objects, o => (string?)o["metadata"]!["name"] == Name);
        Assert.DoesNotContain(objects, o => o["metadata"]!["annotations"]?["helm.sh/hook"] is not null);
        Assert.Contains(objects, o => (string?)o["kind"] == "DaemonSet");
    }

    [Fact]
    public void Hook_ServiceHostSet_TheJobReachesTheApiServerThereToo()
    {
        var job = ChartRender.Single(ChartRender.Objects(ValuesMatrix.CustomDirs), "Job", Name);

        var env = job["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.ToJsonString();
        Assert.Contains("""{"name":"KUBERNETES_SERVICE_HOST","value":"10.0.0.1"}""", env, StringComparison.Ordinal);
        Assert.Contains("""{"name":"KUBERNETES_SERVICE_PORT","value":"6443"}""", env, StringComparison.Ordinal);
    }
}
