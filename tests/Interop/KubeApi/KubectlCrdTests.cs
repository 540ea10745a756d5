namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The real kubectl installs, discovers, deletes and re-creates RoutedNet's CRDs on the stand-in
/// API server as it would on a cluster.
/// </summary>
public sealed class KubectlCrdTests(StandIn cluster) : IClassFixture<StandIn>
{
    private static readonly string[] Plurals =
        ["bgpconfigurations", "bgpfilters", "bgppeers", "blockaffinities", "globalnetworkpolicies", "ipamblocks", "ipamconfigs", "ipamhandles", "ippools", "networkpolicies"];

    // routednet.io/v1 NetworkPolicy lives in a namespace (as Calico's does); every other kind is cluster-scoped.
    private static readonly string[] Namespaced = ["networkpolicies"];

    [Fact]
    public async Task ApplyServerSide_OurCrds_EstablishedAndDiscoveredWithTheirScope()
    {
        var applied = await cluster.Kubectl.CheckAsync("apply", "--server-side", "-f", StandIn.CrdDirectory);
        await cluster.Kubectl.CheckAsync("wait", "--for=condition=Established", "--timeout=30s", "-f", StandIn.CrdDirectory);
        var resources = await cluster.Kubectl.CheckAsync("api-resources", "--api-group=routednet.io", "--no-headers", "-o", "wide");

        foreach (var plural in Plurals)
        {
            Assert.Contains($"customresourcedefinition.apiextensions.k8s.io/{plural}.routednet.io serverside-applied", applied, StringComparison.Ordinal);
        }
        var rows = resources.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Columns).ToList();
        Assert.Equal(Plurals, rows.Select(r => r[0]).Order(StringComparer.Ordinal));
        // The SHORTNAMES column is empty for kinds without short names: read from APIVERSION on.
        Assert.All(rows, r => Assert.Equal(Namespaced.Contains(r[0]) ? "true" : "false", r[Array.IndexOf(r, "routednet.io/v1") + 1]));
        Assert.Contains(rows, r => r[3] == "IPPool" && r[^1] == "routednet");
    }

    [Fact]
    public async Task DeleteThenCreate_Crd_ItsKindGoesAndComesBack()
    {
        await cluster.InstallCrdsAsync();
        var file = Path.Combine(StandIn.CrdDirectory, "ipamhandles.routednet.io.yaml");

        var deleted = await cluster.Kubectl.CheckAsync("delete", "-f", file);
        var gone = await cluster.Kubectl.RunAsync("get", "ipamhandles");
        var created = await cluster.Kubectl.CheckAsync("create", "-f", file);
        await cluster.Kubectl.CheckAsync("wait", "--for=condition=Established", "--timeout=30s", "-f", file);
        var back = await cluster.Kubectl.RunAsync("get", "ipamhandles");

        Assert.Contains("ipamhandles.routednet.io\" deleted", deleted, StringComparison.Ordinal);
        Assert.False(gone.Succeeded);
        // Which words kubectl uses depends on its discovery cache: fresh, it no longer knows the type;
        // cached from an earlier command of this class (api-resources), the list itself is refused.
        // A real API server gives the same two answers.
        Assert.True(
            gone.Stderr.Contains("the server doesn't have a resource type \"ipamhandles\"", StringComparison.Ordinal)
            || gone.Stderr.Contains("the server could not find the requested resource", StringComparison.Ordinal),
            gone.Stderr);
        Assert.Contains("ipamhandles.routednet.io created", created, StringComparison.Ordinal);
        Assert.True(back.Succeeded, back.Stderr);
        Assert.Contains("No resources found", back.Stderr, StringComparison.Ordinal);
    }

    // kubectl's table output: columns separated by two or more spaces.
    internal static string[] Columns(string line) =>
        System.Text.RegularExpressions.Regex.Split(line.Trim(), @"\s{2,}");
}
