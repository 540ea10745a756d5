using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>`bgp peers`: every configured peer with its session state and counters.</summary>
internal static class PeersView
{
    public static string Render(IReadOnlyList<Peer> peers, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            WritePeers(w, peers);
            w.WriteEndObject();
        }),
        _ => Table.Render(
            [
                "PEER ADDRESS", "AS", "PEER TYPE", "STATE", "SINCE", "RECEIVED", "ACCEPTED", "FILTERED", "ADVERTISED", "FLAPS", "SOURCE", "INFO",
                .. format == OutputFormat.Wide ? (string[])["UPDATES IN", "UPDATES OUT", "IMPORT REJECTED"] : [],
            ],
            [.. Sorted(peers).Select(p => (IReadOnlyList<string>)
            [
                p.Address, ApiText.Number(p.AsNumber), ApiText.PeerTypeTitle(p.Type), ApiText.State(p.State), ApiText.Time(p.Since),
                ApiText.Number(p.Counters?.PrefixesReceived ?? 0), ApiText.Number(p.Counters?.PrefixesAccepted ?? 0),
                ApiText.Number(p.Counters?.PrefixesFiltered ?? 0),
                ApiText.Number(p.Counters?.PrefixesAdvertised ?? 0), ApiText.Number(p.Counters?.Flaps ?? 0), p.Source, p.LastError,
                .. format == OutputFormat.Wide ? (string[])[ApiText.Number(p.Counters?.UpdatesReceived ?? 0), ApiText.Number(p.Counters?.UpdatesSent ?? 0), ApiText.Number(p.Counters?.ImportRejected ?? 0)] : [],
            ])]),
    };

    /// <summary>Peers in a stable order: mesh, global, node specific, then by address.</summary>
    public static IEnumerable<Peer> Sorted(IEnumerable<Peer> peers) =>
        peers.OrderBy(p => p.Type).ThenBy(p => p.Address, StringComparer.Ordinal);

    /// <summary>"peers": [...], each with its counters.</summary>
    public static void WritePeers(Utf8JsonWriter w, IEnumerable<Peer> peers)
    {
        w.WriteStartArray("peers");
        foreach (var p in Sorted(peers))
        {
            w.WriteStartObject();
            w.WriteString("address", p.Address);
            w.WriteNumber("asNumber", p.AsNumber);
            w.WriteString("type", ApiText.PeerTypeKey(p.Type));
            w.WriteString("state", ApiText.State(p.State));
            w.WriteString("since", ApiText.IsoTime(p.Since));
            w.WriteString("lastError", p.LastError);
            w.WriteString("source", p.Source);
            var c = p.Counters ?? new PeerCounters();
            w.WriteStartObject("counters");
            w.WriteNumber("prefixesReceived", c.PrefixesReceived);
            w.WriteNumber("prefixesAccepted", c.PrefixesAccepted);
            w.WriteNumber("prefixesFiltered", c.PrefixesFiltered);
            w.WriteNumber("prefixesAdvertised", c.PrefixesAdvertised);
            w.WriteNumber("flaps", c.Flaps);
            w.WriteNumber("updatesReceived", c.UpdatesReceived);
            w.WriteNumber("updatesSent", c.UpdatesSent);
            w.WriteNumber("importRejected", c.ImportRejected);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
