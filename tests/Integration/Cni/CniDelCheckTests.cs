using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Integration.Cni;

/// <summary>DEL (idempotent, as containerd and podman call it) and CHECK (really checks) through the published binary.</summary>
public sealed class CniDelCheckTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("0.3.1")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Del_TwiceLikeContainerd_NothingLeftBothSucceed(string version)
    {
        var pod = _node.NewPod();
        var config = _node.Config(version);
        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();
        var ip = Bare(add.Addresses[0]);

        // StopPodSandbox: DEL with netns and prevResult; RemovePodSandbox: again, no netns, no prevResult.
        (await _node.Run("DEL", pod, CniConfigs.WithPrevResult(config, add))).EnsureSuccess();
        (await _node.Run("DEL", pod, config, netns: "")).EnsureSuccess();

        Assert.Empty(_node.OurVeths());
        Assert.Equal("", _node.Ip("route", "show", ip + "/32").Trim());
        Assert.False(_node.IsAllocated(ip));
        Assert.DoesNotContain("eth0", pod.Ip("link", "show"), StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(_node.RecordsDir) ? Directory.EnumerateFiles(_node.RecordsDir, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Del_NetnsAlreadyDeleted_SucceedsAndCleansHost()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();
        var netnsPath = pod.Netns.Path;
        pod.Netns.Dispose();

        (await _node.Run("DEL", pod, CniConfigs.WithPrevResult(config, add), netns: netnsPath)).EnsureSuccess();

        Assert.Empty(_node.OurVeths());
        Assert.False(_node.IsAllocated(Bare(add.Addresses[0])));
    }

    [Fact]
    public async Task Del_NeverAdded_Succeeds()
    {
        var pod = _node.NewPod();

        var del = await _node.Run("DEL", pod, _node.Config());

        Assert.True(del.Succeeded, del.Stdout + del.Stderr);
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Check_FreshPod_Passes(string version)
    {
        var pod = _node.NewPod();
        var config = _node.Config(version, dualStack: true);
        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();

        var check = await _node.Run("CHECK", pod, CniConfigs.WithPrevResult(config, add));

        Assert.True(check.Succeeded, check.Stdout + check.Stderr);
    }

    [Fact]
    public async Task Check_BrokenOnBothSides_ReportsEveryProblem()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();
        var veth = add.HostInterface;
        var ip = Bare(add.Addresses[0]);
        pod.Ip("route", "del", "default");
        _node.Netns.Check("sh", "-c", $"echo 0 > /proc/sys/net/ipv4/conf/{veth}/proxy_arp");
        _node.Ip("route", "del", ip + "/32");
        // Proxy ARP answers with the host end's MAC, which the pod's neighbour entry expects to be ee:ee:…
        _node.Ip("link", "set", veth, "address", "02:00:00:00:00:01");

        var check = await _node.Run("CHECK", pod, CniConfigs.WithPrevResult(config, add));

        Assert.False(check.Succeeded);
        Assert.Equal(103, check.ErrorCode);
        Assert.Contains($"host veth {veth} has MAC 02:00:00:00:00:01, not ee:ee:ee:ee:ee:ee", check.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("default via 169.254.1.1", check.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("proxy_arp is 0", check.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"route {ip}/32 dev {veth}", check.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_HostVethGone_ReportsIt()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();
        _node.Ip("link", "del", add.HostInterface);

        var check = await _node.Run("CHECK", pod, CniConfigs.WithPrevResult(config, add));

        Assert.Equal(103, check.ErrorCode);
        Assert.Contains($"host veth {add.HostInterface} is missing", check.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WithoutPrevResult_InvalidConfig()
    {
        var pod = _node.NewPod();
        var config = _node.Config();
        (await _node.Run("ADD", pod, config)).EnsureSuccess();

        var check = await _node.Run("CHECK", pod, config);

        Assert.Equal(7, check.ErrorCode);
    }
}
