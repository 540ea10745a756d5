using System.Text;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `node status`, like `calicoctl node status`: the node's identity (name, AS, router id, blocks,
/// readiness), then one line per BGP peer (address, type, state, since, info). `lab up` prints it
/// for every node through <see cref="ReadAndRenderAsync"/>.
/// </summary>
internal static class NodeStatusView
{
    /// <summary>Reads the agent at <paramref name="socketPath"/> and renders its status (table, json or yaml); unreachable → <see cref="CtlException"/>.</summary>
    public static async Task<string> ReadAndRenderAsync(string socketPath, OutputFormat format, CancellationToken cancellationToken)
    {
        using var connection = new NodeApiConnection(socketPath);
        var status = await connection.GetNodeStatusAsync(cancellationToken).ConfigureAwait(false);
        var peers = await connection.ListPeersAsync(cancellationToken).ConfigureAwait(false);
        return Render(status, peers, format);
    }

    public static string Render(NodeStatus status, IReadOnlyList<Peer> peers, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", status.Name);
            w.WriteNumber("asNumber", status.AsNumber);
            w.WriteString("asNumberSource", status.AsNumberSource);
            w.WriteString("routerId", status.RouterId);
            StructuredOutput.WriteStrings(w, "addresses", status.Addresses);
            StructuredOutput.WriteStrings(w, "blocks", status.Blocks);
            w.WriteBoolean("ready", status.Ready);
            w.WriteBoolean("drained", status.Drained);
            if (status.DrainPhase.Length > 0)
            {
                w.WriteStartObject("drain");
                w.WriteString("phase", status.DrainPhase);
                w.WriteString("since", ApiText.IsoTime(status.DrainSince));
                w.WriteString("withdrawAt", ApiText.IsoTime(status.DrainWithdrawAt));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("drain");
            }
            w.WriteString("bgpBackend", status.BgpBackend);
            StructuredOutput.WriteStrings(w, "bgpBackendLimits", status.BgpBackendLimits);
            w.WriteString("started", ApiText.IsoTime(status.Started));
            w.WriteString("version", status.Version);
            w.WriteStartArray("components");
            foreach (var c in status.Components)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteBoolean("ready", c.Ready);
                w.WriteString("detail", c.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            PeersView.WritePeers(w, peers);
            w.WriteEndObject();
        }),
        _ => RenderTable(status, peers),
    };

    private static string RenderTable(NodeStatus status, IReadOnlyList<Peer> peers)
    {
        var b = new StringBuilder();
        b.Append("Node ").Append(status.Name).Append(status.Ready ? " is ready" : " is NOT ready")
            .Append(" (routednet-node ").Append(status.Version).Append(", started ").Append(ApiText.Time(status.Started)).Append(" UTC)\n");
        if (status.DrainPhase == "graceful-shutdown")
        {
            b.Append("  DRAINING (routednetctl node drain, since ").Append(ApiText.Time(status.DrainSince))
                .Append(" UTC): every route carries GRACEFUL_SHUTDOWN 65535:0; withdrawn and sessions closed at ").Append(ApiText.Time(status.DrainWithdrawAt)).Append(" UTC\n");
        }
        else if (status.DrainPhase == "drained")
        {
            b.Append("  DRAINED (routednetctl node drain, since ").Append(ApiText.Time(status.DrainSince))
                .Append(" UTC): nothing announced, BGP sessions closed, until `routednetctl node uncordon ").Append(status.Name).Append("`\n");
        }
        else if (status.Drained)
        {
            b.Append("  DRAINED (routednetctl node drain): nothing announced, BGP sessions shut down, until the agent restarts\n");
        }
        foreach (var c in status.Components.Where(c => !c.Ready))
        {
            b.Append("  not ready: ").Append(c.Name).Append(": ").Append(c.Detail).Append('\n');
        }
        b.Append("AS number:  ").Append(ApiText.Number(status.AsNumber));
        if (status.AsNumberSource.Length > 0)
        {
            b.Append(" (from ").Append(status.AsNumberSource).Append(')');
        }
        b.Append('\n');
        b.Append("Router ID:  ").Append(Or(status.RouterId)).Append('\n');
        b.Append("Addresses:  ").Append(Or(string.Join(", ", status.Addresses))).Append('\n');
        b.Append("Blocks:     ").Append(Or(string.Join(", ", status.Blocks))).Append('\n');
        if (status.BgpBackend.Length > 0 && status.BgpBackend != "builtin")
        {
            b.Append("BGP:        ").Append(status.BgpBackend).Append(" backend");
            if (status.BgpBackendLimits.Count > 0)
            {
                b.Append("; not supported with it:\n");
                foreach (var limit in status.BgpBackendLimits)
                {
                    b.Append("  - ").Append(limit).Append('\n');
                }
            }
            else
            {
                b.Append('\n');
            }
        }
        b.Append('\n');
        if (peers.Count == 0)
        {
            b.Append("BGP peers: none\n");
            return b.ToString();
        }
        b.Append("BGP peers:\n");
        b.Append(Table.Render(
            ["PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO"],
            [.. PeersView.Sorted(peers).Select(p => (IReadOnlyList<string>)
            [
                p.Address, ApiText.PeerTypeTitle(p.Type), ApiText.State(p.State), ApiText.Time(p.Since),
                p.LastError.Length > 0 ? p.LastError : ApiText.State(p.State),
            ])]));
        return b.ToString();
    }

    private static string Or(string text) => text.Length > 0 ? text : "(none)";
}
