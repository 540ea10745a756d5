using System.Net;
using RoutedNet.Netlink;
using RoutedNet.Netlink.Netfilter;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// What `policy trace` and `policy drops` are built on, against the kernel: packets marked with
/// `meta nftrace set 1` come back as trace events naming the chain, the rule and the verdict;
/// packets a `log group N` rule logs come back with the prefix, the hook and their 5-tuple.
/// Rules are written by the real `nft`, traffic is on the test namespace's loopback.
/// </summary>
public sealed class NetfilterMonitorTests : IDisposable
{
    private const ushort LogGroup = 7;

    // An echo request is traced from the output hook on; at input it is logged, then dropped.
    // UDP to port 5353 is logged and dropped the same way.
    private const string Ruleset = """
        table inet rnmon {
            chain out {
                type filter hook output priority filter; policy accept;
                icmp type echo-request meta nftrace set 1
            }
            chain in {
                type filter hook input priority filter; policy accept;
                icmp type echo-request log prefix "rn-echo" group 7
                icmp type echo-request counter drop
                udp dport 5353 log prefix "rn-udp" group 7
                udp dport 5353 drop
            }
        }
        """;

    private readonly NftablesScope _scope = new();

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Trace_ReportsEachStepOfAMarkedPacket_WithTheRuleAndVerdictThatDropped()
    {
        _scope.NftFile(Ruleset);
        using var monitor = NftTraceMonitor.OpenNamespace(_scope.Ns.Path);

        _scope.Ns.Exec("ping", "-c", "1", "-W", "1", "127.0.0.1");

        var events = ReadUntil<NftTraceEvent>(monitor.TryRead, e => e.Type == NftTraceType.Rule && e.Verdict == NftVerdict.Drop);
        var first = events.First(e => e.Packet is not null);
        Assert.Equal(IPAddress.Loopback, first.Packet!.Destination);
        Assert.Equal(PacketSummary.Icmp, first.Packet.Protocol);
        Assert.Equal((byte)8, first.Packet.IcmpType);
        Assert.All(events, e => Assert.Equal("rnmon", e.Table));
        Assert.Contains(events, e => e.Chain == "out" && e.Type == NftTraceType.Policy && e.Policy == 1);
        var drop = events.Single(e => e.Type == NftTraceType.Rule && e.Verdict == NftVerdict.Drop);
        Assert.Equal("in", drop.Chain);
        // The handle names the rule nft lists with -a: the counter drop.
        var listed = _scope.Nft("-a", "list", "chain", "inet", "rnmon", "in");
        Assert.Contains($"icmp type echo-request counter packets 1 bytes 84 drop # handle {drop.RuleHandle}", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_DeliversLoggedPackets_WithPrefixHookAndPorts()
    {
        _scope.NftFile(Ruleset);
        using var monitor = NfLogMonitor.OpenNamespace(_scope.Ns.Path, LogGroup);

        _scope.Ns.Exec("bash", "-c", "echo probe > /dev/udp/127.0.0.1/5353");

        var packet = Assert.Single(ReadUntil<NfLogPacket>(monitor.TryRead, p => p.Prefix == "rn-udp"));
        Assert.Equal(1, packet.Hook); // NF_INET_LOCAL_IN
        Assert.Equal(PacketSummary.Udp, packet.Packet!.Protocol);
        Assert.Equal((ushort)5353, packet.Packet.DestinationPort);
        Assert.Equal(IPAddress.Loopback, packet.Packet.Source);
        Assert.NotNull(packet.Timestamp);
    }

    [Fact]
    public void Log_GroupTakenInTheNamespace_SecondBindRefused_FreeAgainAfterDispose()
    {
        using (NfLogMonitor.OpenNamespace(_scope.Ns.Path, LogGroup))
        {
            var error = Assert.Throws<NetlinkException>(() => NfLogMonitor.OpenNamespace(_scope.Ns.Path, LogGroup));
            Assert.Equal(Errno.EPERM, error.Errno);
            Assert.Contains("bound by another listener", error.Message, StringComparison.Ordinal);
        }

        using var again = NfLogMonitor.OpenNamespace(_scope.Ns.Path, LogGroup);
        Assert.Equal(LogGroup, again.Group);
    }

    private delegate bool Reader<T>(int timeoutMilliseconds, List<T> into);

    /// <summary>Reads until <paramref name="done"/> holds for one item; fails after 5 s without it.</summary>
    private static List<T> ReadUntil<T>(Reader<T> read, Func<T, bool> done)
    {
        var items = new List<T>();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!items.Any(done))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no matching event within 5 s; got {items.Count}: {string.Join("; ", items)}");
            read(200, items);
        }
        return items;
    }
}
