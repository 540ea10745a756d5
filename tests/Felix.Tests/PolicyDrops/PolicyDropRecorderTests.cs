using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RoutedNet.Felix.PolicyDrops;
using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.Tests.PolicyDrops;

/// <summary>What `policy drops` and routednet_policy_drops_total report for logged packets.</summary>
public sealed class PolicyDropRecorderTests
{
    private static readonly PacketSummary ToDb = new(IPAddress.Parse("10.244.1.5"), IPAddress.Parse("10.244.2.7"), PacketSummary.Tcp, 40000, 5432, null, null);

    [Theory]
    [InlineData(DropDirection.Egress, DropReason.Rule, "p3r1", "rn:e:R:p3r1")]
    [InlineData(DropDirection.Ingress, DropReason.EndOfTier, "default", "rn:i:T:default")]
    [InlineData(DropDirection.Ingress, DropReason.UnknownEndpoint, "", "rn:i:U:")]
    [InlineData(DropDirection.Egress, DropReason.Revoked, "", "rn:e:C:")]
    public void Prefix_FormatsAndParsesBack(DropDirection direction, DropReason reason, string id, string text)
    {
        Assert.Equal(text, DropLogPrefix.Format(direction, reason, id));
        Assert.True(DropLogPrefix.TryParse(text, out var d, out var r, out var i));
        Assert.Equal((direction, reason, id), (d, r, i));
    }

    [Theory]
    [InlineData("")]
    [InlineData("kube-proxy drop")]
    [InlineData("rn:x:R:a")]
    [InlineData("rn:e:Q:a")]
    [InlineData("rn:eR:a")]
    public void Prefix_NotOurs_NotParsed(string prefix)
    {
        Assert.False(DropLogPrefix.TryParse(prefix, out _, out _, out _));
    }

    [Fact]
    public void Record_AttributesRuleAndPod_CountsPerNamespace_KeepsOrder_IgnoresForeignPrefixes()
    {
        using var recorder = new PolicyDropRecorder(() => throw new InvalidOperationException(), new Attribution(), NullLogger.Instance, TimeProvider.System);

        recorder.Record(Logged("rn:i:R:p3r1"));
        recorder.Record(Logged("rn:i:T:default"));
        recorder.Record(Logged("someone else's log"));
        recorder.Record(Logged("rn:i:R:gone"));

        var drops = recorder.Recent();
        Assert.Equal(["db/deny-web ingress rule 1", "tier default: selected, no rule decided", "rule gone"], drops.Select(d => d.Policy));
        Assert.All(drops, d => Assert.Equal("db/postgres-0", d.Endpoint));
        Assert.Equal(2, recorder.Counts()[("db", DropDirection.Ingress, DropReason.Rule)]);
        Assert.Equal(1, recorder.Counts()[("db", DropDirection.Ingress, DropReason.EndOfTier)]);
    }

    [Fact]
    public async Task Follow_SeesDropsRecordedAfterItStarted()
    {
        using var recorder = new PolicyDropRecorder(() => throw new InvalidOperationException(), new Attribution(), NullLogger.Instance, TimeProvider.System);
        recorder.Record(Logged("rn:i:R:p3r1"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var follow = recorder.FollowAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var next = follow.MoveNextAsync();

        recorder.Record(Logged("rn:i:T:admin"));

        Assert.True(await next);
        Assert.Equal("admin", follow.Current.Id);
    }

    private static NfLogPacket Logged(string prefix) => new() { Prefix = prefix, Hook = 2, Packet = ToDb };

    private sealed class Attribution : IDropAttribution
    {
        public string? DescribeRule(string id) => id == "p3r1" ? "db/deny-web ingress rule 1" : null;

        public string? EndpointOf(DropDirection direction, PacketSummary packet) =>
            direction == DropDirection.Ingress && packet.Destination.Equals(IPAddress.Parse("10.244.2.7")) ? "db/postgres-0" : null;
    }
}
