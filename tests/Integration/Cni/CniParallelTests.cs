using static RoutedNet.Integration.Cni.CniNode;

namespace RoutedNet.Integration.Cni;

/// <summary>Kubelet starts many pods at once: 32 concurrent ADDs on one node must all succeed, and so must their DELs.</summary>
public sealed class CniParallelTests : IDisposable
{
    private const int Pods = 32;

    private readonly CniNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task Add_32InParallel_AllWiredWithDistinctAddressesThenAllDeleted()
    {
        var pods = Enumerable.Range(0, Pods).Select(_ => _node.NewPod()).ToList();
        var config = _node.Config();

        var adds = await Task.WhenAll(pods.Select(p => _node.Run("ADD", p, config)));

        Assert.All(adds, a => Assert.True(a.Succeeded, a.Stdout + a.Stderr));
        var addresses = adds.Select(a => Bare(a.Addresses[0])).ToList();
        Assert.Equal(Pods, addresses.Distinct().Count());
        Assert.Equal(Pods, _node.OurVeths().Count);
        var routes = _node.Ip("route", "show", "proto", "80");
        Assert.All(adds, a => Assert.Contains($"{Bare(a.Addresses[0])} dev {a.HostInterface} ", routes, StringComparison.Ordinal));
        Assert.All(pods.Zip(addresses), p => Assert.Contains($"inet {p.Second}/32", p.First.Ip("-o", "-4", "addr", "show", "dev", "eth0"), StringComparison.Ordinal));

        var dels = await Task.WhenAll(pods.Zip(adds).Select(p => _node.Run("DEL", p.First, CniConfigs.WithPrevResult(config, p.Second))));

        Assert.All(dels, d => Assert.True(d.Succeeded, d.Stdout + d.Stderr));
        Assert.Empty(_node.OurVeths());
        Assert.Equal(0, _node.AllocatedCount());
    }
}
