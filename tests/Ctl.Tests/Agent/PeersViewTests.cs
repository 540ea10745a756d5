using System.Text.Json;
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
    private static readonly Peer Tor = new()
    {
        Address = "172.18.0.1", AsNumber = 65002, Type = PeerType.Global, State = SessionState.Established, Source = "BGPPeer/tor",
        Counters = new PeerCounters(),
        Bfd = new PeerBfd
        {
            State = BfdState.Up, RemoteState = BfdState.Up, LocalDiscriminator = 7, RemoteDiscriminator = 9,
            TransmitIntervalUs = 100_000, ReceiveIntervalUs = 100_000, DetectTimeUs = 300_000,
            LastDownDiagnostic = "ControlDetectionTimeExpired", Ups = 2, Downs = 1, Graceful = true,
        },
    };

    [Fact]
    public void Render_Table_BfdStateAndDetectionTime_OffWithoutBfd()
    {
        var lines = PeersView.Render([Mesh, Tor], OutputFormat.Table).Split('\n');

        Assert.Matches(@"\sSTATE\s+BFD\s+SINCE\s", lines[0]);
        Assert.Matches(@"^172\.18\.0\.3\s.*\sEstablished\s+off\s", lines[1]);
        Assert.Matches(@"^172\.18\.0\.1\s.*\sEstablished\s+Up \(300ms\)\s", lines[2]);
        Assert.DoesNotContain("ControlDetectionTimeExpired", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Wide_BfdIntervalsFlapsAndLastDiagnostic()
    {
        var lines = PeersView.Render([Tor], OutputFormat.Wide).Split('\n');

        Assert.Matches(@"BFD TX/RX\s+BFD UPS/DOWNS\s+BFD LAST DOWN\s+UPDATES IN", lines[0]);
        Assert.Matches(@"\s100ms/100ms\s+2/1\s+ControlDetectionTimeExpired\s+0\s+0\s+0$", lines[1]);
    }

    [Fact]
    public void Render_Json_BfdObjectWithDiscriminators_NullWhenOff()
    {
        using var document = JsonDocument.Parse(PeersView.Render([Mesh, Tor], OutputFormat.Json));
        var peers = document.RootElement.GetProperty("peers").EnumerateArray().ToDictionary(p => p.GetProperty("address").GetString()!);

        Assert.Equal(JsonValueKind.Null, peers["172.18.0.3"].GetProperty("bfd").ValueKind);
        var bfd = peers["172.18.0.1"].GetProperty("bfd");
        Assert.Equal("Up", bfd.GetProperty("state").GetString());
        Assert.Equal("Up", bfd.GetProperty("remoteState").GetString());
        Assert.Equal("Graceful", bfd.GetProperty("mode").GetString());
        Assert.Equal((7u, 9u), (bfd.GetProperty("localDiscriminator").GetUInt32(), bfd.GetProperty("remoteDiscriminator").GetUInt32()));
        Assert.Equal((100.0, 100.0, 300.0), (bfd.GetProperty("transmitIntervalMs").GetDouble(), bfd.GetProperty("receiveIntervalMs").GetDouble(), bfd.GetProperty("detectTimeMs").GetDouble()));
        Assert.Equal("ControlDetectionTimeExpired", bfd.GetProperty("lastDownDiagnostic").GetString());
        Assert.Equal((2, 1), (bfd.GetProperty("ups").GetInt32(), bfd.GetProperty("downs").GetInt32()));
    }
}
