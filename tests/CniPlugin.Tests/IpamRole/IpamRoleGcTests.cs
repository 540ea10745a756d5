using System.Text.Json.Nodes;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>Issue 13 item 1: a CNI GC releases only dead attachments of its own node and of exactly its network.</summary>
public sealed class IpamRoleGcTests
{
    private static JsonArray Valid(params string[] containerIds) =>
        [.. containerIds.Select(id => (JsonNode)new JsonObject { ["containerID"] = id, ["ifname"] = "eth0" })];

    [Fact]
    public async Task Gc_FromNodeA_ReleasesOnlyNodeAsDeadAttachmentOfThisNetwork()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        ipam.Add(ipam.Config("k8s", "node-a"), "a-live");
        ipam.Add(ipam.Config("k8s", "node-a"), "a-dead");
        ipam.Add(ipam.Config("k8s", "node-b"), "b-live");
        // A network whose name starts with "k8s." is another network.
        ipam.Add(ipam.Config("k8s.foo", "node-a"), "x-live");

        var (exit, output) = ipam.Run("GC", ipam.Config("k8s", "node-a", ("cni.dev/valid-attachments", Valid("a-live"))));

        Assert.True(exit == 0, output.ToString());
        Assert.Equal(["k8s.a-live.eth0", "k8s.b-live.eth0", "k8s.foo.x-live.eth0"], await ipam.HandleIdsAsync());
    }

    [Fact]
    public async Task Gc_WithoutValidAttachments_RefusedAndReleasesNothing()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        ipam.Add(ipam.Config("k8s", "node-a"), "a-live");

        var (exit, output) = ipam.Run("GC", ipam.Config("k8s", "node-a"));

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, output.GetProperty("code").GetInt32());
        Assert.Equal(["k8s.a-live.eth0"], await ipam.HandleIdsAsync());
    }

    [Fact]
    public async Task Gc_EmptyValidList_ReleasesThisNodesAttachmentsOfThisNetwork()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        ipam.Add(ipam.Config("k8s", "node-a"), "a-dead");
        ipam.Add(ipam.Config("k8s", "node-b"), "b-live");

        var (exit, output) = ipam.Run("GC", ipam.Config("k8s", "node-a", ("cni.dev/valid-attachments", Valid())));

        Assert.True(exit == 0, output.ToString());
        Assert.Equal(["k8s.b-live.eth0"], await ipam.HandleIdsAsync());
    }
}
