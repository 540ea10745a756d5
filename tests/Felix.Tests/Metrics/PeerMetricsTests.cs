using System.Net;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Tests.Metrics;

public sealed class PeerMetricsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static BgpPeerStatus Peer(string address, PeerState state, string? lastError) =>
        new(new BgpPeerConfig(IPAddress.Parse(address), 65001, PeerType.Global, "BGPPeer tor"), state, Now, lastError, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void WritePeers_OnePeerDownAfterError_OnlyThatPeerFailing()
    {
        var w = new PrometheusTextWriter();

        MetricsRenderer.WritePeers(
            w,
            [Peer("192.0.2.2", PeerState.Active, "TCP-MD5 key refused by the kernel: Protocol not available"), Peer("192.0.2.3", PeerState.Established, null)],
            Now);

        var text = w.ToString();
        Assert.Contains("routednet_bgp_peer_failing{peer=\"192.0.2.2\",type=\"global\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("routednet_bgp_peer_failing{peer=\"192.0.2.3\",type=\"global\"} 0\n", text, StringComparison.Ordinal);
    }
}
