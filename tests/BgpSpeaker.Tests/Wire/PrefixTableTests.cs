using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class PrefixTableTests
{
    private static BgpPrefix V4(int i) => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32);

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
}
