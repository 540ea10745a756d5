using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;
using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Integration.Cni;

/// <summary>ADD through the published binary, for every spec version, as DESIGN.md "The packet path" wires a pod.</summary>
public sealed partial class CniAddTests : IDisposable
{
    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Add_EachSpecVersion_WiresPodPerPacketPath(string version)
    {
        var pod = _node.NewPod();

        var add = (await _node.Run("ADD", pod, _node.Config(version, mtu: 1400))).EnsureSuccess();

        Assert.Equal(version, add.Json.GetProperty("cniVersion").GetString());
        var ipEntry = add.Json.GetProperty("ips")[0];
        Assert.Equal(version is "0.3.0" or "0.3.1" or "0.4.0", ipEntry.TryGetProperty("version", out _));
        var address = Assert.Single(add.Addresses);
        Assert.EndsWith("/32", address, StringComparison.Ordinal);
        var ip = Bare(address);
        var veth = add.HostInterface;
        Assert.Matches(OurVethName(), veth);
        var podInterface = add.Json.GetProperty("interfaces")[ipEntry.GetProperty("interface").GetInt32()];
        Assert.Equal("eth0", podInterface.GetProperty("name").GetString());
        Assert.Equal(pod.Netns.Path, podInterface.GetProperty("sandbox").GetString());

        Assert.Contains($"inet {ip}/32 ", pod.Ip("-o", "-4", "addr", "show", "dev", "eth0"), StringComparison.Ordinal);
        Assert.Contains("mtu 1400", pod.Ip("link", "show", "dev", "eth0"), StringComparison.Ordinal);
        var podRoutes = pod.Ip("route", "show");
        Assert.Contains("default via 169.254.1.1 dev eth0", podRoutes, StringComparison.Ordinal);
        Assert.Contains("169.254.1.1 dev eth0 scope link", podRoutes, StringComparison.Ordinal);
        Assert.Equal("0", pod.Netns.Check("cat", "/proc/sys/net/ipv6/conf/eth0/accept_dad").Stdout.Trim());

        Assert.Equal($"{ip} dev {veth} proto 80 scope link", _node.Ip("route", "show", ip + "/32").Trim());
        var link = _node.Ip("link", "show", "dev", veth);
        Assert.Contains("link/ether ee:ee:ee:ee:ee:ee", link, StringComparison.Ordinal);
        Assert.Contains("mtu 1400", link, StringComparison.Ordinal);
        Assert.Contains("state UP", link, StringComparison.Ordinal);
        Assert.Equal("1", _node.Sysctl($"ipv4/conf/{veth}/proxy_arp"));
        Assert.Equal("0", _node.Sysctl($"ipv4/neigh/{veth}/proxy_delay"));
        Assert.Equal("1", _node.Sysctl($"ipv4/conf/{veth}/forwarding"));
        Assert.Equal("1", _node.Sysctl($"ipv4/conf/{veth}/route_localnet"));
    }

    [Fact]
    public async Task Add_DualStack_PodGetsSlash128AndLinkLocalDefault()
    {
        var pod = _node.NewPod();

        var add = (await _node.Run("ADD", pod, _node.Config(dualStack: true))).EnsureSuccess();

        var v6 = Bare(Assert.Single(add.Addresses, a => a.Contains(':', StringComparison.Ordinal)));
        Assert.EndsWith("/128", add.Addresses.Single(a => a.Contains(':', StringComparison.Ordinal)), StringComparison.Ordinal);
        var veth = add.HostInterface;
        Assert.Contains($"inet6 {v6}/128 ", pod.Ip("-o", "-6", "addr", "show", "dev", "eth0"), StringComparison.Ordinal);
        Assert.Contains("default via fe80::ecee:eeff:feee:eeee dev eth0", pod.Ip("-6", "route", "show"), StringComparison.Ordinal);
        Assert.Contains($"{v6} dev {veth} proto 80", _node.Ip("-6", "route", "show", v6 + "/128"), StringComparison.Ordinal);
        Assert.Contains("inet6 fe80::ecee:eeff:feee:eeee/64", _node.Ip("-6", "addr", "show", "dev", veth), StringComparison.Ordinal);
        Assert.Equal("1", _node.Sysctl($"ipv6/conf/{veth}/proxy_ndp"));
        Assert.Equal("1", _node.Sysctl($"ipv6/conf/{veth}/forwarding"));
        Assert.Equal("0", _node.Sysctl($"ipv6/conf/{veth}/accept_ra"));
    }

    [Fact]
    public async Task Add_PodIdentityInArgs_VethNameStableAcrossSandboxes()
    {
        var first = _node.NewPod("web-0");
        var second = _node.NewPod("web-0");
        var config = _node.Config();

        var a = (await _node.Run("ADD", first, config)).EnsureSuccess();
        (await _node.Run("DEL", first, config)).EnsureSuccess();
        var b = (await _node.Run("ADD", second, config)).EnsureSuccess();

        Assert.Equal(a.HostInterface, b.HostInterface);
    }

    [Fact]
    public async Task Add_NewSandboxOfSamePod_TakesOverVethAndOldDelLeavesIt()
    {
        var old = _node.NewPod("web-0");
        var fresh = _node.NewPod("web-0");
        var config = _node.Config();
        (await _node.Run("ADD", old, config)).EnsureSuccess();

        var add = (await _node.Run("ADD", fresh, config)).EnsureSuccess();
        // The old sandbox's late DEL (kubelet cleans it up after the new one started).
        (await _node.Run("DEL", old, config)).EnsureSuccess();

        Assert.Equal([add.HostInterface], _node.OurVeths());
        var ip = Bare(Assert.Single(add.Addresses));
        Assert.Contains($"{ip} dev {add.HostInterface}", _node.Ip("route", "show", ip + "/32"), StringComparison.Ordinal);
        Assert.True(_node.IsAllocated(ip));
    }

    [Theory]
    [InlineData("/var/run/netns/")]
    [InlineData("/proc/")]
    public async Task Add_NetnsPathForms_WiresThatNamespace(string form)
    {
        var pod = _node.NewPod();
        using var holder = Daemon.Start("sleep", ["600"], pod.Netns);
        var netns = form == "/proc/" ? $"/proc/{holder.Pid}/ns/net" : form + pod.Netns.Name;
        var expected = Proc.Check("stat", "-L", "-c", "%i", pod.Netns.Path).Stdout.Trim();
        // The holder enters the pod's netns a moment after it starts (sh -> ip netns exec -> sleep).
        await Eventually.Until(() => Proc.Run("stat", "-L", "-c", "%i", netns).Stdout.Trim() == expected, "the holder to enter the pod netns");
        var config = _node.Config();

        var add = (await _node.Run("ADD", pod, config, netns: netns)).EnsureSuccess();

        Assert.Contains($"inet {Bare(add.Addresses[0])}/32", pod.Ip("-o", "-4", "addr", "show", "dev", "eth0"), StringComparison.Ordinal);
        (await _node.Run("DEL", pod, CniConfigs.WithPrevResult(config, add), netns: netns)).EnsureSuccess();
        Assert.Empty(_node.OurVeths());
    }

    [Fact]
    public async Task Add_AfterAnotherPlugin_AppendsToPrevResult()
    {
        var pod = _node.NewPod();
        var config = CniConfigs.With(_node.Config(), "prevResult", System.Text.Json.Nodes.JsonNode.Parse("""
            {"cniVersion":"1.0.0","interfaces":[{"name":"lo","sandbox":"/proc/1/ns/net"}],
             "ips":[{"interface":0,"address":"127.0.0.1/8"}],"dns":{"nameservers":["10.96.0.10"]}}
            """));

        var add = (await _node.Run("ADD", pod, config)).EnsureSuccess();

        var interfaces = add.Json.GetProperty("interfaces");
        Assert.Equal(3, interfaces.GetArrayLength());
        Assert.Equal("lo", interfaces[0].GetProperty("name").GetString());
        var ips = add.Json.GetProperty("ips");
        Assert.Equal("127.0.0.1/8", ips[0].GetProperty("address").GetString());
        Assert.Equal("eth0", interfaces[ips[1].GetProperty("interface").GetInt32()].GetProperty("name").GetString());
        Assert.Equal("10.96.0.10", add.Json.GetProperty("dns").GetProperty("nameservers")[0].GetString());
    }

    [GeneratedRegex("^rn[0-9a-f]{13}$")]
    private static partial Regex OurVethName();
}
