namespace RoutedNet.BgpHost;

/// <summary>The JSON the host reads: global settings, peers, and prefixes to originate.</summary>
/// <remarks>Optional members have setters, not init: the source-generated reader of a type with required
/// members assigns every init member in its object initializer, so a missing "holdTimeSeconds" became 0
/// (hold time 0 negotiated with every peer) and a missing "listenPort" became null.</remarks>
internal sealed record HostConfig
{
    public required uint Asn { get; init; }

    public required string RouterId { get; init; }

    public int? ListenPort { get; set; } = 179;

    /// <summary>Addresses to listen on; empty listens on every IPv4 and IPv6 address.</summary>
    public List<string> ListenAddresses { get; set; } = [];

    public int MaxPaths { get; set; } = 1;

    public int RestartTimeSeconds { get; set; } = 120;

    /// <summary>Start as a graceful-restart "restarting speaker" (R and F bits, selection deferral).</summary>
    public bool Restarting { get; set; }

    public List<HostPeer> Peers { get; set; } = [];

    public List<string> Originate { get; set; } = [];
}

internal sealed record HostPeer
{
    public required string Address { get; init; }

    public required uint RemoteAs { get; init; }

    public string? LocalAddress { get; set; }

    public string? NextHopOtherFamily { get; set; }

    public bool Passive { get; set; }

    public string? Password { get; set; }

    public int HoldTimeSeconds { get; set; } = 90;

    public bool RouteReflectorClient { get; set; }

    /// <summary>Advertise learned routes too (transit / reflector), not only our own.</summary>
    public bool ExportLearned { get; set; }

    /// <summary>Import ranges like "10.0.0.0/8 le 32"; empty accepts nothing.</summary>
    public List<string> Allowed { get; set; } = [];

    public List<string> Families { get; set; } = ["ipv4", "ipv6"];
}
