using System.Text.Json.Nodes;

namespace RoutedNet.Integration.Cni;

/// <summary>VERSION (as libcni probes it), and the CNI 1.1 verbs STATUS and GC by direct execution.</summary>
public sealed class CniStatusGcVersionTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Version_DummyValuesLikeLibcni_ListsSupportedVersions()
    {
        var version = (await _node.Exec(_node.Binary, "VERSION", """{"cniVersion":"1.0.0"}""", new Dictionary<string, string?>
        {
            ["CNI_CONTAINERID"] = "dummy",
            ["CNI_NETNS"] = "dummy",
            ["CNI_IFNAME"] = "dummy",
            ["CNI_PATH"] = "dummy",
        })).EnsureSuccess();

        Assert.Equal(
            ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
            version.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Status_IpamPresent_Succeeds()
    {
        var status = await _node.Exec(_node.Binary, "STATUS", _node.Config("1.1.0").ToJsonString(), new Dictionary<string, string?>());

        Assert.True(status.Succeeded, status.Stdout + status.Stderr);
    }

    [Fact]
    public async Task Status_IpamMissing_PluginNotAvailable()
    {
        var config = _node.Config("1.1.0");
        config["ipam"]!["type"] = "no-such-ipam";

        var status = await _node.Exec(_node.Binary, "STATUS", config.ToJsonString(), new Dictionary<string, string?>());

        Assert.Equal(50, status.ErrorCode);
        Assert.Contains("no-such-ipam", status.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_OneAttachmentStillValid_RemovesOnlyTheOther()
    {
        var keep = _node.NewPod();
        var drop = _node.NewPod();
        var config = _node.Config("1.1.0");
        var kept = (await _node.Run("ADD", keep, config)).EnsureSuccess();
        var dropped = (await _node.Run("ADD", drop, config)).EnsureSuccess();
        var gc = CniConfigs.With(config, "cni.dev/valid-attachments", new JsonArray(new JsonObject
        {
            ["containerID"] = keep.ContainerId,
            ["ifname"] = "eth0",
        }));

        (await _node.Exec(_node.Binary, "GC", gc.ToJsonString(), new Dictionary<string, string?>())).EnsureSuccess();

        Assert.Equal([kept.HostInterface], _node.OurVeths());
        var droppedIp = CniNode.Bare(dropped.Addresses[0]);
        Assert.Equal("", _node.Ip("route", "show", droppedIp + "/32").Trim());
        Assert.DoesNotContain("eth0", drop.Ip("link", "show"), StringComparison.Ordinal);
        Assert.Contains("eth0", keep.Ip("link", "show"), StringComparison.Ordinal);
        // The runtime's DEL of the collected attachment still succeeds and releases its address.
        (await _node.Run("DEL", drop, config)).EnsureSuccess();
        Assert.False(_node.IsAllocated(droppedIp));
    }

    [Fact]
    public async Task Gc_OtherNetworksVeth_LeftAlone()
    {
        var other = _node.NewPod();
        var otherConfig = _node.Config("1.1.0");
        otherConfig["name"] = "rnt-other";
        var add = (await _node.Run("ADD", other, otherConfig)).EnsureSuccess();
        var gc = CniConfigs.With(_node.Config("1.1.0"), "cni.dev/valid-attachments", new JsonArray());

        (await _node.Exec(_node.Binary, "GC", gc.ToJsonString(), new Dictionary<string, string?>())).EnsureSuccess();

        Assert.Equal([add.HostInterface], _node.OurVeths());
    }
}
