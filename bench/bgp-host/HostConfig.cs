namespace RoutedNet.BgpHost;

/// <summary>The JSON the host reads: global settings, peers, and prefixes to originate.</summary>
internal sealed record HostConfig
{
    public required uint Asn { get; init; }

    public required string RouterId { get; init; }

    public int? ListenPort { get; init; } = 179;

    public int MaxPaths { get; init; } = 1;

    public int RestartTimeSeconds { get; init; } = 120;

    /// <summary>Start as a graceful-restart "restarting speaker" (R and F bits, selection deferral).</summary>
    public bool Restarting { get; init; }

    public List<HostPeer> Peers { get; init; } = [];

    public List<string> Originate { get; init; } = [];
}

internal sealed record HostPeer
{
    public required string Address { get; init; }

    public required uint RemoteAs { get; init; }

    public string? LocalAddress { get; init; }

    public string? NextHopOtherFamily { get; init; }

    public bool Passive { get; init; }

    public string? Password { get; init; }

    public int HoldTimeSeconds { get; init; } = 90;

    public bool RouteReflectorClient { get; init; }

    /// <summary>Advertise learned routes too (transit / reflector), not only our own.</summary>
    public bool ExportLearned { get; init; }

    /// <summary>Import ranges like "10.0.0.0/8 le 32"; empty accepts nothing.</summary>
    public List<string> Allowed { get; init; } = [];

    public List<string> Families { get; init; } = ["ipv4", "ipv6"];
}
