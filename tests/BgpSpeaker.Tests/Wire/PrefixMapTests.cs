using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>The open-addressing shard of <see cref="PrefixTable{TValue}"/>: tombstones, reuse, growth, walks.</summary>
public class PrefixMapTests
{
    private static Ipv4PrefixKey V4(int i) => Ipv4PrefixKey.Of(BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32));

    [Fact]
    public void RemoveWhileWalking_EveryOtherKeyGone_NoKeySkippedOrSeenTwice()
    {
        var map = new PrefixMap<Ipv4PrefixKey, int>();
        for (var i = 0; i < 10_000; i++)
        {
            map.Add(V4(i), i);
        }

        var seen = new HashSet<int>();
        foreach (var (key, value) in map)
        {
            Assert.True(seen.Add(value));
            if (value % 2 == 0)
            {
                Assert.True(map.Remove(key));
            }
        }

        Assert.Equal(10_000, seen.Count);
        Assert.Equal(5_000, map.Count);
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => (2 * i) + 1), map.Select(p => p.Value).Order());
    }

    [Fact]
    public void WithdrawAllThenAnnounceAgain_TombstonesReusedAndEveryKeyFound()
    {
        var map = new PrefixMap<Ipv4PrefixKey, int>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 50_000; i++)
            {
                map.GetValueRefOrAddDefault(V4(i), out var exists) = i + round;
                Assert.False(exists);
            }
            for (var i = 0; i < 50_000; i++)
            {
                Assert.Equal(i + round, map.GetValueRefOrNullRef(V4(i)));
            }
            for (var i = 0; i < 50_000; i++)
            {
                Assert.True(map.Remove(V4(i)));
            }
            Assert.Equal(0, map.Count);
            Assert.Empty(map);
            Assert.False(map.Remove(V4(1)));
        }
    }

    [Fact]
    public void Add_WhileWalking_Throws()
    {
        var map = new PrefixMap<Ipv4PrefixKey, int>();
        map.Add(V4(1), 1);
        map.Add(V4(2), 2);

        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var pair in map)
            {
                map.GetValueRefOrAddDefault(V4(3), out _) = pair.Value + 2;
            }
        });
        Assert.Throws<ArgumentException>(() => map.Add(V4(1), 1));
    }

    [Fact]
    public void Lookups_EmptyMap_FindNothing()
    {
        var map = new PrefixMap<BgpPrefix, string>();

        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref map.GetValueRefOrNullRef(BgpPrefix.Parse("2001:db8::/64"))));
        Assert.False(map.Remove(BgpPrefix.Parse("2001:db8::/64")));
        Assert.Empty(map.Keys);
    }
}
