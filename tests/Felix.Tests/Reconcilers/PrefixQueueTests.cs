using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Reconcilers.Routes;

namespace RoutedNet.Felix.Tests.Reconcilers;

public sealed class PrefixQueueTests
{
    private static BgpPrefix V4(int i) => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32);

    [Fact]
    public void Add_AcrossSegments_KeepsOrderAndClearStartsOver()
    {
        var queue = new PrefixQueue();
        const int n = 5000;
        for (var i = 0; i < n; i++)
        {
            queue.Add(V4(i));
        }

        Assert.Equal(n, queue.Count);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(V4(i), queue[i]);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => queue[n]);

        queue.Clear();
        Assert.Equal(0, queue.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue[0]);
        for (var i = 0; i < 3000; i++)
        {
            queue.Add(V4(n + i));
        }
        Assert.Equal(3000, queue.Count);
        Assert.Equal(V4(n), queue[0]);
        Assert.Equal(V4(n + 2999), queue[2999]);
    }

    [Fact]
    public void Add_BothFamiliesAndEveryLength_ComeBackAsQueued_Ipv4First()
    {
        var queue = new PrefixQueue();
        var ipv6 = new[] { "2001:db8::/64", "::/0" }.Select(BgpPrefix.Parse).ToList();
        var ipv4 = new[] { "0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/8", "192.0.2.128/25" }.Select(BgpPrefix.Parse).ToList();
        queue.Add(ipv6[0]);
        foreach (var prefix in ipv4)
        {
            queue.Add(prefix);
        }
        queue.Add(ipv6[1]);

        Assert.Equal(ipv4.Concat(ipv6), Enumerable.Range(0, queue.Count).Select(i => queue[i]));
    }
}
