namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The real helm 4 installs, upgrades, rolls back and uninstalls a small chart (a ConfigMap and
/// an IPPool) on the stand-in API server, applying each object by server-side apply; an upgrade
/// that would renumber the pool is refused with the CEL rule's message.
/// </summary>
public sealed class HelmTests(StandIn cluster) : IClassFixture<StandIn>, IAsyncLifetime
{
    private Helm? _helm;

    private Helm Helm => _helm!;

    public async Task InitializeAsync()
    {
        await cluster.InstallCrdsAsync();
        _helm = await Helm.StartAsync(cluster);
    }

    public Task DisposeAsync()
    {
        _helm?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task InstallUpgradeRollbackUninstall_SmallChart_ObjectsFollowEachStep()
    {
        var chart = StandIn.TestData("chart");

        await Helm.CheckAsync("install", "fid", chart, "--namespace", "default", "--wait", "--timeout", "60s");
        var installed = await Settings();
        await Helm.CheckAsync("upgrade", "fid", chart, "--namespace", "default", "--set", "greeting=bye", "--set", "pool.disabled=true");
        var upgraded = await Settings();
        var history = await Helm.CheckAsync("history", "fid", "--namespace", "default", "-o", "json");
        await Helm.CheckAsync("rollback", "fid", "1", "--namespace", "default");
        var rolledBack = await Settings();
        await Helm.CheckAsync("uninstall", "fid", "--namespace", "default");
        var configMap = await cluster.Kubectl.RunAsync("get", "configmap", "fid-settings", "-n", "default");
        var pool = await cluster.Kubectl.RunAsync("get", "ippool", "fid-pool");
        var list = await Helm.CheckAsync("list", "--all-namespaces", "-q");

        Assert.Equal("hello 10.250.0.0/16 false", installed);
        Assert.Equal("bye 10.250.0.0/16 true", upgraded);
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(history).RootElement.GetArrayLength());
        Assert.Equal("hello 10.250.0.0/16 false", rolledBack);
        Assert.Contains("configmaps \"fid-settings\" not found", configMap.Stderr, StringComparison.Ordinal);
        Assert.Contains("ippools.routednet.io \"fid-pool\" not found", pool.Stderr, StringComparison.Ordinal);
        Assert.Equal("", list.Trim());
    }

    [Fact]
    public async Task Upgrade_PoolCidrChanged_RefusedWithTheRenumberingSteps()
    {
        var chart = StandIn.TestData("chart");
        await Helm.CheckAsync("install", "renum", chart, "--namespace", "default", "--set", "pool.cidr=10.252.0.0/16");

        var upgrade = await Helm.RunAsync("upgrade", "renum", chart, "--namespace", "default", "--set", "pool.cidr=10.253.0.0/16");
        var cidr = await cluster.Kubectl.CheckAsync("get", "ippool", "renum-pool", "-o", "jsonpath={.spec.cidr}");

        Assert.False(upgrade.Succeeded);
        Assert.Contains("spec.cidr is immutable: to renumber, create a new IPPool", upgrade.Stderr, StringComparison.Ordinal);
        Assert.Equal("10.252.0.0/16", cidr);
    }

    private async Task<string> Settings()
    {
        var greeting = await cluster.Kubectl.CheckAsync("get", "configmap", "fid-settings", "-n", "default", "-o", "jsonpath={.data.greeting}");
        var pool = await cluster.Kubectl.CheckAsync("get", "ippool", "fid-pool", "-o", "jsonpath={.spec.cidr} {.spec.disabled}");
        return $"{greeting} {pool}";
    }
}
