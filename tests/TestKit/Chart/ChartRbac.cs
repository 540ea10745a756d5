namespace RoutedNet.Tests.TestKit.Chart;

/// <summary>
/// The chart's RBAC as `helm template` renders it (release "routednet" in kube-system, values
/// rbac-values.yaml beside it): the Integration tests apply this file to the stand-in, since they
/// run without helm; tests/Interop/Chart renders the chart and fails when it differs, so the two
/// can never drift apart. Rewrite it with RNT_UPDATE_GOLDEN=1 on the Interop test.
/// </summary>
public static class ChartRbac
{
    public const string ReleaseNamespace = "kube-system";

    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "TestKit", "Chart");

    public static string GoldenPath => Path.Combine(Directory, "rbac.golden.yaml");

    public static string ValuesPath => Path.Combine(Directory, "rbac-values.yaml");

    /// <summary>The post-delete hook's ServiceAccount, ClusterRole and binding (templates/uninstall-rbac.yaml), rendered with the same values.</summary>
    public static string UninstallGoldenPath => Path.Combine(Directory, "uninstall-rbac.golden.yaml");

    /// <summary>The hook's ServiceAccount (and ClusterRole, ClusterRoleBinding, Job) name.</summary>
    public const string UninstallServiceAccount = "routednet-uninstall";
}
