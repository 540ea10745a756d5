using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class PrefixTableTests
{
    private static BgpPrefix V4(int i) => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32);

    private static BgpPrefix V6(int i) => BgpPrefix.FromIpv6(((UInt128)0x20010db8 << 96) | ((UInt128)(uint)i << 64), 64);

    [Fact]
    public void Split_PastTheThreshold_KeepsEveryValueAndFindsThemAll()
    {
        var table = new PrefixTable<int>();
        var n = PrefixTable<int>.SplitAt * 3;
        table.GetValueRefOrAddDefault(BgpPrefix.Parse("2001:db8::/64"), out _) = -1;
        for (var i = 0; i < n; i++)
        {
            table.GetValueRefOrAddDefault(V4(i), out var exists) = i;
            Assert.False(exists);
        }

        Assert.Equal(n + 1, table.Count);
        for (var i = 0; i < n; i++)
        {
            Assert.True(table.TryGetValue(V4(i), out var value));
            Assert.Equal(i, value);
        }
        Assert.Equal(-1, table.GetValueRefOrNullRef(BgpPrefix.Parse("2001:db8::/64")));
        Assert.Equal(n + 1, table.AsEnumerable().Count());
        Assert.Equal(n + 1, table.Keys.Distinct().Count());
        table.GetValueRefOrAddDefault(V4(7), out var seen) += 1000;
        Assert.True(seen);
        Assert.True(table.TryGetValue(V4(7), out var updated));
        Assert.Equal(1007, updated);
    }

    [Fact]
    public void Remove_WhileEnumerating_RemovesAndCounts()
    {
        var table = new PrefixTable<int>();
        var n = PrefixTable<int>.SplitAt + 100;
        for (var i = 0; i < n; i++)
        {
            table.GetValueRefOrAddDefault(V4(i), out _) = i;
        }

        foreach (var key in table.Keys)
        {
            if (table.TryGetValue(key, out var value) && value % 2 == 0)
            {
                Assert.True(table.Remove(key));
            }
        }

        Assert.Equal(n / 2, table.Count);
        Assert.False(table.Remove(V4(0)));
        Assert.False(table.ContainsKey(V4(0)));
        Assert.True(table.ContainsKey(V4(1)));
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.GetValueRefOrNullRef(V4(2))));
    }

    [Fact]
    public void Ipv4AndIpv6_OfEveryLength_AreDistinctKeysAndComeBackAsThePrefixesStored()
    {
        var table = new PrefixTable<string>();
        var prefixes = new[]
        {
            "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/9", "10.0.0.0/32", "10.0.0.1/32", "255.255.255.255/32",
            "::/0", "2001:db8::/32", "2001:db8::/64", "::ffff:10.0.0.0/104", "10.0.0.0/31",
        }.Select(BgpPrefix.Parse).ToList();
        foreach (var prefix in prefixes)
        {
            table.GetValueRefOrAddDefault(prefix, out var exists) = prefix.ToString();
            Assert.False(exists);
        }

        Assert.Equal(prefixes.Count, table.Count);
        Assert.Equal(prefixes.Order(), table.Keys.Order());
        Assert.All(table, pair => Assert.Equal(pair.Key.ToString(), pair.Value));
        Assert.True(table.Remove(BgpPrefix.Parse("10.0.0.0/9")));
        Assert.True(table.ContainsKey(BgpPrefix.Parse("10.0.0.0/8")));
        Assert.False(table.ContainsKey(BgpPrefix.Parse("10.0.0.0/9")));
        Assert.True(table.Remove(BgpPrefix.Parse("::/0")));
        Assert.True(table.ContainsKey(BgpPrefix.Parse("0.0.0.0/0")));
        Assert.Equal(prefixes.Count - 2, table.Count);
        table.Clear();
        Assert.Empty(table);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("100.64.0.0/10")]
    [InlineData("100.64.12.34/32")]
    [InlineData("192.0.2.128/25")]
    public void Ipv4Key_HashesAsItsPrefix_SoTheShardsPlaceItAsThePrefixWould(string text)
    {
        var prefix = BgpPrefix.Parse(text);

        Assert.Equal(prefix.GetHashCode(), Ipv4PrefixKey.Of(prefix).GetHashCode());
        Assert.Equal(prefix, Ipv4PrefixKey.Of(prefix).Prefix);
    }

    [Fact]
    public void BothFamilies_PastTheSplit_KeepEveryValue()
    {
        var table = new PrefixTable<int>();
        var n = PrefixTable<int>.SplitAt + 10;
        for (var i = 0; i < n; i++)
        {
            table.GetValueRefOrAddDefault(V4(i), out _) = i;
            table.GetValueRefOrAddDefault(V6(i), out _) = -i;
        }

        Assert.Equal(2 * n, table.Count);
        for (var i = 0; i < n; i += 97)
        {
            Assert.True(table.TryGetValue(V4(i), out var v4));
            Assert.Equal(i, v4);
            Assert.True(table.TryGetValue(V6(i), out var v6));
            Assert.Equal(-i, v6);
        }
        Assert.Equal(2 * n, table.AsEnumerable().Count());
    }
}
