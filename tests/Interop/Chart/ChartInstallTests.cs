using RoutedNet.Tests.Interop.KubeApi;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// The real helm 4 installs charts/routednet on the stand-in API server as a user would (CRDs from
/// crds/ first, then every object by server-side apply, our CRs validated against the CRDs there),
/// upgrades it, is refused a pool renumbering, and uninstalls it (hooks off), leaving the CRDs.
/// </summary>
public sealed class ChartInstallTests(StandIn cluster) : IClassFixture<StandIn>, IAsyncLifetime
{
    private Helm? _helm;

    private Helm Helm => _helm!;

    public async Task InitializeAsync() => _helm = await Helm.StartAsync(cluster);

    public Task DisposeAsync()
    {
        _helm?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task InstallUpgradeUninstall_Chart_ObjectsAppliedRenumberingRefusedCrdsKept()
    {
        var values = Path.Combine(cluster.Dir, "values.yaml");
        await File.WriteAllTextAsync(values, ValuesMatrix.PeersWithSecrets + "\n" + ValuesMatrix.DualStack);
        string[] release = ["routednet", ChartRender.ChartDirectory, "--namespace", "kube-system", "--values", values];

        var install = await Helm.CheckAsync(["install", .. release, "--create-namespace"]);
        var secretRef = await cluster.Kubectl.CheckAsync("get", "bgppeer", "tor-r1", "-o", "jsonpath={.spec.passwordSecretRef.name}/{.spec.passwordSecretRef.key}");
        var pools = await cluster.Kubectl.CheckAsync("get", "ippools", "-o", "jsonpath={.items[*].spec.cidr}");
        var image = await cluster.Kubectl.CheckAsync("get", "daemonset", "routednet-node", "-n", "kube-system", "-o", "jsonpath={.spec.template.spec.containers[0].image}");
        var checksum = await Checksum();

        await Helm.CheckAsync(["upgrade", .. release, "--set", "logLevel=debug"]);
        var rolled = await Checksum();
        var renumber = await Helm.RunAsync(["upgrade", .. release, "--set", "logLevel=debug", "--set", "ipPools[0].cidr=10.250.0.0/16"]);

        // Without its post-delete hook: a hook Job needs a job controller and a kubelet, which
        // tests/Interop/Cluster/HelmClusterTests has; here helm would wait for it until its timeout.
        await Helm.CheckAsync("uninstall", "routednet", "--namespace", "kube-system", "--no-hooks");
        var daemonSet = await cluster.Kubectl.RunAsync("get", "daemonset", "routednet-node", "-n", "kube-system");
        var poolsAfter = await cluster.Kubectl.CheckAsync("get", "ippools", "-o", "name");
        var crd = await cluster.Kubectl.RunAsync("get", "crd", "bgppeers.routednet.io", "-o", "name");

        Assert.Contains("RoutedNet 0.13.0 is installed in namespace kube-system.", install, StringComparison.Ordinal);
        Assert.Equal("tor-bgp/r1", secretRef);
        Assert.Equal("10.244.0.0/16 fd00:244::/56", string.Join(' ', pools.Split(' ').Order(StringComparer.Ordinal)));
        Assert.Equal("routednet/routednet:0.13.0", image);
        Assert.NotEqual(checksum, rolled);
        Assert.False(renumber.Succeeded);
        Assert.Contains("spec.cidr is immutable: to renumber, create a new IPPool", renumber.Stderr, StringComparison.Ordinal);
        Assert.Contains("daemonsets.apps \"routednet-node\" not found", daemonSet.Stderr, StringComparison.Ordinal);
        Assert.Equal("", poolsAfter.Trim());
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/bgppeers.routednet.io", crd.Stdout.Trim());
    }

    private Task<string> Checksum() =>
        cluster.Kubectl.CheckAsync("get", "daemonset", "routednet-node", "-n", "kube-system", "-o", "jsonpath={.spec.template.metadata.annotations.checksum/config}");
}
