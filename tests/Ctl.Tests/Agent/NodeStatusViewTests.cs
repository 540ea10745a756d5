using RoutedNet.Ctl.Output;
using Google.Protobuf.WellKnownTypes;
using RoutedNet.Ctl.Agent;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

public class NodeStatusViewTests
{
    private static readonly Timestamp Since = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 28, 16, 40, 1, TimeSpan.Zero));

    private static NodeStatus Status(bool ready = true)
    {
        var status = new NodeStatus { Name = "n1", AsNumber = 64512, AsNumberSource = "default", RouterId = "172.18.0.2", Ready = ready, Version = "1.0.0", Started = Since };
        status.Addresses.Add("172.18.0.2/16");
        status.Blocks.Add("10.244.1.0/24");
        status.Components.Add(new ComponentHealth { Name = "bgp", Ready = ready, Detail = ready ? "ok" : "speaker not started" });
        return status;
    }

    private static Peer Peer(string address, PeerType type, SessionState state, string lastError = "") =>
        new() { Address = address, AsNumber = 64512, Type = type, State = state, Since = Since, LastError = lastError, Counters = new PeerCounters { PrefixesReceived = 1 } };

    [Fact]
    public void Render_Table_IdentityThenPeersInCalicoctlColumns()
    {
        var text = NodeStatusView.Render(
            Status(),
            [Peer("172.18.0.99", PeerType.Global, SessionState.Active, "connect: connection refused"), Peer("172.18.0.3", PeerType.Mesh, SessionState.Established)],
            OutputFormat.Table);

        Assert.Contains("Node n1 is ready", text, StringComparison.Ordinal);
        Assert.Contains("AS number:  64512 (from default)", text, StringComparison.Ordinal);
        Assert.Contains("Router ID:  172.18.0.2", text, StringComparison.Ordinal);
        Assert.Contains("Blocks:     10.244.1.0/24", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("PEER ADDRESS", StringComparison.Ordinal));
        Assert.Matches(@"^PEER ADDRESS\s+PEER TYPE\s+STATE\s+SINCE\s+INFO$", lines[header]);
        // Mesh before global; INFO is the last error, else the state.
        Assert.Matches(@"^172\.18\.0\.3\s+node-to-node mesh\s+Established\s+2026-11-28 16:40:01\s+Established$", lines[header + 1]);
        Assert.Matches(@"^172\.18\.0\.99\s+global\s+Active\s+2026-11-28 16:40:01\s+connect: connection refused$", lines[header + 2]);
    }

    [Fact]
    public void Render_NotReady_NamesTheFailingComponent()
    {
        var text = NodeStatusView.Render(Status(ready: false), [], OutputFormat.Table);

        Assert.Contains("Node n1 is NOT ready", text, StringComparison.Ordinal);
        Assert.Contains("not ready: bgp: speaker not started", text, StringComparison.Ordinal);
        Assert.Contains("BGP peers: none", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Yaml_PeerTypeAndCountersAsKeys()
    {
        var yaml = NodeStatusView.Render(Status(), [Peer("172.18.0.4", PeerType.NodeSpecific, SessionState.OpenSent)], OutputFormat.Yaml);

        Assert.Contains("name: n1\n", yaml, StringComparison.Ordinal);
        Assert.Contains("type: node-specific\n", yaml, StringComparison.Ordinal);
        Assert.Contains("state: OpenSent\n", yaml, StringComparison.Ordinal);
        Assert.Contains("prefixesReceived: 1\n", yaml, StringComparison.Ordinal);
        Assert.Contains("since: \"2026-11-28T16:40:01.000Z\"\n", yaml, StringComparison.Ordinal);
    }
}
