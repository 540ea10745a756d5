using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink.Conntrack;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// Reading a namespace's conntrack table (what the agent's revoke of established flows reads):
/// by family, or both families in one dump (AddressFamily.Unspecified, `conntrack -L`), which the
/// revoke uses on a dual-stack node because every dump walks the kernel's whole hash.
/// </summary>
public sealed class ConntrackHandleTests : IDisposable
{
    // Conntrack only tracks a namespace once a hook needs it: a rule that reads ct state.
    private const string Ruleset = """
        table inet rnct {
            chain out {
                type filter hook output priority filter; policy accept;
                ct state new counter
            }
        }
        """;

    private readonly NftablesScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void List_BothFamiliesOrOne_EntriesOfThoseFamiliesOnly()
    {
        _scope.NftFile(Ruleset);
        _scope.Ns.Check("ip", "link", "set", "lo", "up");
        _scope.Ns.Check("ping", "-c", "1", "-W", "1", "127.0.0.1");
        _scope.Ns.Check("ping", "-6", "-c", "1", "-W", "1", "::1");
        using var handle = ConntrackHandle.OpenNamespace(_scope.Ns.Path);

        var both = handle.List(AddressFamily.Unspecified);
        var v4 = handle.List(AddressFamily.InterNetwork);
        var v6 = handle.List(AddressFamily.InterNetworkV6);

        Assert.Contains(both, e => e.Destination.Equals(IPAddress.Loopback));
        Assert.Contains(both, e => e.Destination.Equals(IPAddress.IPv6Loopback));
        Assert.All(v4, e => Assert.Equal(AddressFamily.InterNetwork, e.Destination.AddressFamily));
        Assert.All(v6, e => Assert.Equal(AddressFamily.InterNetworkV6, e.Destination.AddressFamily));
        Assert.Equal(both.Count, v4.Count + v6.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => handle.List(AddressFamily.Unix));
    }

    // Entries start with mark 0x5 (someone else's bits), so the change of one bit must keep them.
    private const string MarkingRuleset = """
        table inet rnct {
            chain out {
                type filter hook output priority filter; policy accept;
                ct state new ct mark set 0x5
            }
        }
        """;

    [Fact]
    public void SetMarkBits_ChangesOnlyThoseBits_AndAGoneEntryIsFalse()
    {
        _scope.NftFile(MarkingRuleset);
        _scope.Ns.Check("ip", "link", "set", "lo", "up");
        _scope.Ns.Check("ping", "-c", "1", "-W", "1", "127.0.0.1");
        using var handle = ConntrackHandle.OpenNamespace(_scope.Ns.Path);
        ConntrackEntry Ping() => Assert.Single(handle.List(AddressFamily.InterNetwork), e => e.Protocol == 1 && e.Destination.Equals(IPAddress.Loopback));
        Assert.Equal(0x5u, Ping().Mark);

        Assert.True(handle.SetMarkBits(Ping(), 0x10000000, 0x10000000));
        Assert.Equal(0x10000005u, Ping().Mark);
        Assert.True(handle.SetMarkBits(Ping(), 0x10000000, 0));
        Assert.Equal(0x5u, Ping().Mark);

        var entry = Ping();
        Assert.True(handle.Delete(entry));
        Assert.False(handle.SetMarkBits(entry, 0x10000000, 0x10000000));
        Assert.Throws<ArgumentException>(() => handle.SetMarkBits(entry, 0x1, 0x2));
    }
}
