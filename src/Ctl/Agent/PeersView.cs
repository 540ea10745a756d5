using System.Text.Json;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `bgp peers`: every configured peer with its session state and counters, and its BFD session
/// (state and detection time in the table; the negotiated intervals, flaps and last diagnostic in
/// wide; everything, discriminators too, in JSON/YAML, where "bfd" is null when BFD is off).
/// </summary>
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
                "PEER ADDRESS", "AS", "PEER TYPE", "STATE", "BFD", "SINCE", "RECEIVED", "ACCEPTED", "FILTERED", "ADVERTISED", "FLAPS", "SOURCE", "INFO",
                .. format == OutputFormat.Wide ? (string[])["BFD TX/RX", "BFD UPS/DOWNS", "BFD LAST DOWN", "UPDATES IN", "UPDATES OUT", "IMPORT REJECTED"] : [],
            ],
            [.. Sorted(peers).Select(p => (IReadOnlyList<string>)
            [
                p.Address, ApiText.Number(p.AsNumber), ApiText.PeerTypeTitle(p.Type), State(p), Bfd(p.Bfd), ApiText.Time(p.Since),
                ApiText.Number(p.Counters?.PrefixesReceived ?? 0), ApiText.Number(p.Counters?.PrefixesAccepted ?? 0),
                ApiText.Number(p.Counters?.PrefixesFiltered ?? 0),
                ApiText.Number(p.Counters?.PrefixesAdvertised ?? 0), ApiText.Number(p.Counters?.Flaps ?? 0), p.Source, p.LastError,
                .. format == OutputFormat.Wide ? (string[])[.. BfdWide(p.Bfd), ApiText.Number(p.Counters?.UpdatesReceived ?? 0), ApiText.Number(p.Counters?.UpdatesSent ?? 0), ApiText.Number(p.Counters?.ImportRejected ?? 0)] : [],
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
            WriteBfd(w, p.Bfd);
            if (p.Drain.Length > 0)
            {
                w.WriteString("drain", p.Drain);
            }
            else
            {
                w.WriteNull("drain");
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // "Established (graceful shutdown)" while routes to the peer carry 65535:0, "Idle (drained)" after the withdraw.
    private static string State(Peer p) => p.Drain switch
    {
        "graceful-shutdown" => ApiText.State(p.State) + " (graceful shutdown)",
        "drained" => ApiText.State(p.State) + " (drained)",
        _ => ApiText.State(p.State),
    };

    // "Up (300ms)": the state and the detection time in force; "off" without spec.bfd.
    private static string Bfd(PeerBfd? bfd) =>
        bfd is null ? "off"
        : bfd.DetectTimeUs == 0 ? ApiText.State(bfd.State)
        : $"{ApiText.State(bfd.State)} ({ApiText.Ms(bfd.DetectTimeUs)})";

    private static string[] BfdWide(PeerBfd? bfd) => bfd is null
        ? ["-", "-", "-"]
        : [
            $"{ApiText.Ms(bfd.TransmitIntervalUs)}/{ApiText.Ms(bfd.ReceiveIntervalUs)}",
            $"{ApiText.Number(bfd.Ups)}/{ApiText.Number(bfd.Downs)}",
            bfd.LastDownDiagnostic.Length > 0 ? bfd.LastDownDiagnostic : "-",
        ];

    private static void WriteBfd(Utf8JsonWriter w, PeerBfd? bfd)
    {
        if (bfd is null)
        {
            w.WriteNull("bfd");
            return;
        }
        w.WriteStartObject("bfd");
        w.WriteString("state", ApiText.State(bfd.State));
        w.WriteString("remoteState", ApiText.State(bfd.RemoteState));
        w.WriteString("mode", bfd.Graceful ? "Graceful" : "Hard");
        w.WriteBoolean("multihop", bfd.Multihop);
        w.WriteNumber("localDiscriminator", bfd.LocalDiscriminator);
        w.WriteNumber("remoteDiscriminator", bfd.RemoteDiscriminator);
        w.WriteNumber("transmitIntervalMs", ApiText.Milliseconds(bfd.TransmitIntervalUs));
        w.WriteNumber("receiveIntervalMs", ApiText.Milliseconds(bfd.ReceiveIntervalUs));
        w.WriteNumber("detectTimeMs", ApiText.Milliseconds(bfd.DetectTimeUs));
        w.WriteString("lastDownDiagnostic", bfd.LastDownDiagnostic);
        w.WriteNumber("ups", bfd.Ups);
        w.WriteNumber("downs", bfd.Downs);
        w.WriteBoolean("remoteControlPlaneIndependent", bfd.RemoteControlPlaneIndependent);
        w.WriteEndObject();
    }
}
