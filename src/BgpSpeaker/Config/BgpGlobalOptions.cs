using System.Net;

namespace RoutedNet.BgpSpeaker.Config;

/// <summary>Speaker-wide settings: who we are and where we listen.</summary>
public sealed record BgpGlobalOptions
{
    /// <summary>Our AS number; 4-octet values (e.g. 4200000001) are sent as AS_TRANS in OPEN (RFC 6793).</summary>
    public required uint LocalAs { get; init; }

    /// <summary>BGP identifier; must be a non-zero IPv4 address (RFC 4271 §4.2, RFC 6286).</summary>
    public required IPAddress RouterId { get; init; }

    /// <summary>TCP port we listen on; null disables listening (active-only speaker).</summary>
    public int? ListenPort { get; init; } = 179;

    /// <summary>Addresses to listen on; empty means all IPv4 and IPv6 addresses.</summary>
    public IReadOnlyList<IPAddress> ListenAddresses { get; init; } = [];

    /// <summary>Cluster id when we reflect routes (RFC 4456); defaults to the router id.</summary>
    public IPAddress? ClusterId { get; init; }

    /// <summary>Most next hops installed for one prefix (ECMP); 1 disables multipath.</summary>
    public int MaxPaths { get; init; } = 1;

    /// <summary>Graceful restart as announced to every peer that has it enabled.</summary>
    public GracefulRestartOptions GracefulRestart { get; init; } = new();

    /// <summary>LOCAL_PREF given to routes learned over eBGP and to our own, as RFC 4271 §9.1.1 leaves to us.</summary>
    public uint DefaultLocalPreference { get; init; } = 100;
}
