using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

public class PeersViewTests
{
    private static readonly Peer Mesh = new()
    {
        Address = "172.18.0.3", AsNumber = 64512, Type = PeerType.Mesh, State = SessionState.Established, Source = "node n2",
        Counters = new PeerCounters { PrefixesReceived = 2, PrefixesAccepted = 2, PrefixesAdvertised = 1, UpdatesReceived = 17, UpdatesSent = 9 },
    };

    [Fact]
    public void Render_Wide_AddsTheUpdateCounters()
    {
        var table = PeersView.Render([Mesh], OutputFormat.Table).Split('\n');
        var wide = PeersView.Render([Mesh], OutputFormat.Wide).Split('\n');

        Assert.DoesNotContain("UPDATES IN", table[0], StringComparison.Ordinal);
        Assert.Matches(@"UPDATES IN\s+UPDATES OUT\s+IMPORT REJECTED$", wide[0]);
        Assert.Matches(@"^172\.18\.0\.3\s.*\s17\s+9\s+0$", wide[1]);
    }

    [Fact]
    public void Render_FilteredPrefixes_ColumnBesideAcceptedAndInJson()
    {
        var tor = new Peer
        {
            Address = "172.18.0.1", AsNumber = 64500, Type = PeerType.Global, State = SessionState.Established, Source = "BGPPeer/tor",
            Counters = new PeerCounters { PrefixesReceived = 3, PrefixesAccepted = 2, PrefixesFiltered = 1, ImportRejected = 4 },
        };

        var table = PeersView.Render([tor], OutputFormat.Table).Split('\n');
        var json = PeersView.Render([tor], OutputFormat.Json);

        Assert.Matches(@"RECEIVED\s+ACCEPTED\s+FILTERED\s+ADVERTISED", table[0]);
        Assert.Matches(@"\s3\s+2\s+1\s+0\s", table[1]);
        Assert.Contains("\"prefixesFiltered\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"importRejected\": 4", json, StringComparison.Ordinal);
    }
}
