using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>`label pod NAMESPACE/NAME` on sqlite: the pod is its WorkloadEndpoints, each changed by compare-and-swap.</summary>
public class LabelPodCommandTests
{
    private static WorkloadEndpoint Endpoint(string name, string ns, string pod, string? label = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = label is null ? null : new Dictionary<string, string> { ["pod"] = label } },
        Spec = new WorkloadEndpointSpec { Namespace = ns, Pod = pod, Node = "n1", IPNetworks = ["10.244.1.1/32"] },
    };

    private static async Task<CtlProcess> WithEndpointsAsync()
    {
        var ctl = new CtlProcess();
        await using var store = await ctl.OpenStoreAsync();
        await store.CreateAsync(Endpoint("net.c1.eth0", "x", "a", "a"));
        await store.CreateAsync(Endpoint("net.c1.net1", "x", "a", "a"));
        await store.CreateAsync(Endpoint("net.c2.eth0", "x", "b", "b"));
        await store.CreateAsync(Endpoint("net.c3.eth0", "y", "a", "a"));
        return ctl;
    }

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string>?>> LabelsAsync(CtlProcess ctl)
    {
        await using var store = await ctl.OpenStoreAsync();
        return (await store.ListAsync<WorkloadEndpoint>()).Items.ToDictionary(e => e.Name, e => e.Metadata.Labels);
    }

    [Fact]
    public async Task LabelPod_TwoAttachments_BothEndpointsLabelledOthersNot()
    {
        await using var ctl = await WithEndpointsAsync();

        var label = await ctl.RunAsync("label", "pod", "x/a", "role=db", "pod-");

        Assert.True(label.Exit == 0, label.Stderr);
        Assert.Equal("pod x/a labeled\n", label.Stdout);
        var labels = await LabelsAsync(ctl);
        Assert.Equal(new Dictionary<string, string> { ["role"] = "db" }, labels["net.c1.eth0"]);
        Assert.Equal(new Dictionary<string, string> { ["role"] = "db" }, labels["net.c1.net1"]);
        Assert.Equal(new Dictionary<string, string> { ["pod"] = "b" }, labels["net.c2.eth0"]);
        Assert.Equal(new Dictionary<string, string> { ["pod"] = "a" }, labels["net.c3.eth0"]);
    }

    [Fact]
    public async Task LabelPod_ChangingAValueWithoutOverwrite_RefusedNothingWritten()
    {
        await using var ctl = await WithEndpointsAsync();

        var refused = await ctl.RunAsync("label", "pod", "x/b", "pod=c");
        var overwritten = await ctl.RunAsync("label", "pod", "x/b", "pod=c", "--overwrite");

        Assert.Equal(1, refused.Exit);
        Assert.Contains("already has label pod=b; pass --overwrite", refused.Stderr, StringComparison.Ordinal);
        Assert.True(overwritten.Exit == 0, overwritten.Stderr);
        Assert.Equal(new Dictionary<string, string> { ["pod"] = "c" }, (await LabelsAsync(ctl))["net.c2.eth0"]);
    }

    [Fact]
    public async Task LabelPod_NoSuchPod_Exit1NamingIt()
    {
        await using var ctl = await WithEndpointsAsync();

        var label = await ctl.RunAsync("label", "pod", "z/a", "k=v");

        Assert.Equal(1, label.Exit);
        Assert.Equal("error: pod z/a not found (no WorkloadEndpoint has namespace z and pod a)\n", label.Stderr);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("x/")]
    [InlineData("/a")]
    [InlineData("x/a/b")]
    public async Task LabelPod_NotNamespaceSlashName_UsageErrorOneLine(string name)
    {
        await using var ctl = await WithEndpointsAsync();

        var label = await ctl.RunAsync("label", "pod", name, "k=v");

        Assert.Equal(2, label.Exit);
        Assert.Equal($"error: pod \"{name}\" must be NAMESPACE/NAME\n", label.Stderr);
    }
}
