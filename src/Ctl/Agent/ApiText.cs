using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>How the API's enums, times and route targets read in tables and in JSON.</summary>
internal static class ApiText
{
    /// <summary>calicoctl's words in tables.</summary>
    public static string PeerTypeTitle(PeerType type) => type switch
    {
        PeerType.Mesh => "node-to-node mesh",
        PeerType.Global => "global",
        PeerType.NodeSpecific => "node specific",
        _ => "unknown",
    };

    /// <summary>Stable identifiers in JSON/YAML.</summary>
    public static string PeerTypeKey(PeerType type) => type switch
    {
        PeerType.Mesh => "mesh",
        PeerType.Global => "global",
        PeerType.NodeSpecific => "node-specific",
        _ => "unknown",
    };

    /// <summary>RFC 4271 state names.</summary>
    public static string State(SessionState state) => state switch
    {
        SessionState.Idle => "Idle",
        SessionState.Connect => "Connect",
        SessionState.Active => "Active",
        SessionState.OpenSent => "OpenSent",
        SessionState.OpenConfirm => "OpenConfirm",
        SessionState.Established => "Established",
        _ => "Unknown",
    };

    public static string Kind(RouteKind kind) => kind switch
    {
        RouteKind.Workload => "workload",
        RouteKind.Blackhole => "blackhole",
        RouteKind.Bgp => "bgp",
        RouteKind.Foreign => "foreign",
        _ => "unknown",
    };

    public static string State(RouteState state) => state switch
    {
        RouteState.Ok => "ok",
        RouteState.Missing => "missing",
        RouteState.Unexpected => "unexpected",
        RouteState.WrongNextHop => "wrong-next-hop",
        RouteState.MissingBlackhole => "missing-blackhole",
        RouteState.Conflict => "conflict",
        _ => "unknown",
    };

    /// <summary>UTC, to the second, for tables ("" when the agent sent none).</summary>
    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 for JSON (null when absent).</summary>
    public static string? IsoTime(Timestamp? time) =>
        time?.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>`ip route` words: "blackhole", "via A, B", "dev X", with the protocol when not ours; "-" for none.</summary>
    public static string Target(RouteTarget? target, uint ourProtocol)
    {
        if (target is null)
        {
            return "-";
        }
        var parts = new List<string>();
        if (target.Blackhole)
        {
            parts.Add("blackhole");
        }
        if (target.NextHops.Count > 0)
        {
            parts.Add("via " + string.Join(", ", target.NextHops));
        }
        if (target.Interface.Length > 0)
        {
            parts.Add("dev " + target.Interface);
        }
        if (target.Protocol != ourProtocol)
        {
            parts.Add("proto " + target.Protocol.ToString(CultureInfo.InvariantCulture));
        }
        return parts.Count == 0 ? "-" : string.Join(' ', parts);
    }

    public static string Number(ulong n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 5880 §4.1 state names, as BIRD and FRR print them.</summary>
    public static string State(BfdState state) => state switch
    {
        BfdState.AdminDown => "AdminDown",
        BfdState.Down => "Down",
        BfdState.Init => "Init",
        BfdState.Up => "Up",
        _ => "Unknown",
    };

    /// <summary>Microseconds as milliseconds, for JSON (whole unless the peer asked for a fraction).</summary>
    public static double Milliseconds(ulong microseconds) => microseconds / 1000.0;

    /// <summary>Microseconds as "300ms" for tables.</summary>
    public static string Ms(ulong microseconds) => Milliseconds(microseconds).ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
