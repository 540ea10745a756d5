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
        Assert.Matches(@"UPDATES IN\s+UPDATES OUT$", wide[0]);
        Assert.Matches(@"^172\.18\.0\.3\s.*\s17\s+9$", wide[1]);
    }
}
