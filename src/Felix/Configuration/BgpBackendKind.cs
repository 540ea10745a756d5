namespace RoutedNet.Felix.Configuration;

/// <summary>Which BGP implementation the agent drives (`--bgp-backend`).</summary>
public enum BgpBackendKind
{
    /// <summary>The in-process speaker (src/BgpSpeaker).</summary>
    BuiltIn,

    /// <summary>An external gobgpd, over its gRPC API (`--gobgp-api`).</summary>
    GoBgp,
}
