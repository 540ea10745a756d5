using System.Text.Json.Nodes;

namespace RoutedNet.Integration.Cni;

/// <summary>Bad input gets the spec's error JSON on stdout, a non-zero exit, and leaves nothing behind.</summary>
public sealed class CniErrorTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    private Task<CniCall> AddRaw(CniPod pod, string stdin, string? netns = null) =>
        _node.Exec(_node.Binary, "ADD", stdin, new Dictionary<string, string?>
        {
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = netns ?? pod.Netns.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_ARGS"] = pod.Args,
        });

    private void AssertNothingLeft(CniPod pod)
    {
        Assert.Empty(_node.OurVeths());
        Assert.Equal(0, _node.AllocatedCount());
        Assert.DoesNotContain("eth0", pod.Ip("link", "show"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 6)]
    [InlineData("this is not json", 6)]
    [InlineData("""{"cniVersion":"1.0.0","type":"routednet","ipam":{"type":"host-local"}}""", 7)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"host-local"}}""", 7)]
    [InlineData("""{"cniVersion":"0.2.0","name":"n","type":"routednet","ipam":{"type":"host-local"}}""", 1)]
    [InlineData("""{"cniVersion":"7.0.0","name":"n","type":"routednet","ipam":{"type":"host-local"}}""", 1)]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"routednet"}""", 7)]
    public async Task Add_BadConfig_SpecCodeAndNothingMade(string stdin, int code)
    {
        var pod = _node.NewPod();

        var add = await AddRaw(pod, stdin);

        Assert.NotEqual(0, add.ExitCode);
        Assert.Equal(code, add.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(add.ErrorMessage));
        AssertNothingLeft(pod);
    }

    [Fact]
    public async Task Add_NetnsDoesNotExist_ContainerUnknown()
    {
        var pod = _node.NewPod();

        var add = await AddRaw(pod, _node.Config().ToJsonString(), netns: "/run/netns/rnt-does-not-exist");

        Assert.Equal(3, add.ErrorCode);
        Assert.Contains("/run/netns/rnt-does-not-exist", add.ErrorMessage, StringComparison.Ordinal);
        AssertNothingLeft(pod);
    }

    [Fact]
    public async Task Add_IfNameTakenInNetns_InterfaceExistsAndNoAddressUsed()
    {
        var pod = _node.NewPod();
        pod.Netns.Check("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "other0");

        var add = await AddRaw(pod, _node.Config().ToJsonString());

        Assert.Equal(100, add.ErrorCode);
        Assert.Contains("eth0 already exists", add.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_node.OurVeths());
        Assert.Equal(0, _node.AllocatedCount());
    }

    [Fact]
    public async Task Add_IpamPluginMissing_InvalidConfigNamingIt()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        config["ipam"]!["type"] = "no-such-ipam";

        var add = await AddRaw(pod, config.ToJsonString());

        Assert.Equal(7, add.ErrorCode);
        Assert.Contains("no-such-ipam", add.ErrorMessage, StringComparison.Ordinal);
        AssertNothingLeft(pod);
    }

    [Fact]
    public async Task Add_MissingEnvironment_BadEnvironment()
    {
        var pod = _node.NewPod();

        var add = await _node.Exec(_node.Binary, "ADD", _node.Config().ToJsonString(), new Dictionary<string, string?>
        {
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = pod.Netns.Path,
        });

        Assert.Equal(4, add.ErrorCode);
        Assert.Contains("CNI_IFNAME", add.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_IpamFails_ItsErrorPassedThrough()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        // host-local rejects a range that is not a subnet: its code and message must reach the runtime.
        config["ipam"]!["ranges"] = new JsonArray(new JsonArray(new JsonObject { ["subnet"] = "not-a-subnet" }));

        var add = await AddRaw(pod, config.ToJsonString());

        Assert.False(add.Succeeded);
        Assert.Contains("host-local ADD", add.ErrorMessage, StringComparison.Ordinal);
        AssertNothingLeft(pod);
    }
}
