using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.Felix.Bgp.GoBgp.Api;
using SessionState = RoutedNet.Felix.Bgp.GoBgp.Api.PeerState.Types.SessionState;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>The sessions and policy as gobgpd is told them, kept to the built-in speaker's behaviour.</summary>
public sealed partial class GoBgpBackend
{
    private static readonly GracefulRestartOptions GracefulRestartDefaults = new();

    /// <summary>The TTL of BIRD's <c>multihop</c> without a count, which Calico's template sets on every peer (as the built-in speaker does).</summary>
    private const uint CalicoMultihopTtl = 64;

    private Peer ToPeer(BgpPeerConfig config)
    {
        var policy = config.EffectivePolicy;
        var peer = new Peer
        {
            Conf = new PeerConf
            {
                NeighborAddress = config.Address.ToString(),
                PeerAsn = config.AsNumber,
                AuthPassword = config.Password ?? "",
                Description = config.Source,
                LocalAsn = policy.LocalAsNumber ?? 0,
                AllowOwnAsn = (uint)policy.AllowedLocalAsNumbers,
            },
            // GTSM as the built-in speaker runs it: TTL 255 out, at least 256 - hops in. gobgpd
            // refuses multihop and GTSM together; without GTSM every session is multihop (Calico's
            // template), so an eBGP peer a router away comes up.
            TtlSecurity = policy.TtlSecurity is { } hops ? new TtlSecurity { Enabled = true, TtlMin = (uint)(256 - hops) } : null,
            EbgpMultihop = policy.TtlSecurity is null ? new EbgpMultihop { Enabled = true, MultihopTtl = CalicoMultihopTtl } : null,
            Timers = new Timers
            {
                Config = new TimersConfig
                {
                    ConnectRetry = ConnectRetrySeconds,
                    HoldTime = (ulong)(config.HoldTime?.TotalSeconds ?? 0),
                    KeepaliveInterval = (ulong)(config.KeepaliveTime?.TotalSeconds ?? 0),
                },
            },
            Transport = new Transport
            {
                LocalAddress = SourceAddressOf(config)?.ToString() ?? "",
                PassiveMode = config.Passive,
                RemotePort = (uint)config.Port,
            },
            RouteReflector = new RouteReflector
            {
                RouteReflectorClient = config.RouteReflectorClient,
                RouteReflectorClusterId = config.RouteReflectorClient ? _local?.RouteReflectorClusterId?.ToString() ?? "" : "",
            },
            // As the built-in speaker announces it: restart time 120 s, and the restart deferral for
            // our own restart. gobgpd stays up through the agent's restarts, so GoBGP's restarting
            // role matters only when gobgpd itself restarts.
            GracefulRestart = new GracefulRestart
            {
                Enabled = true,
                RestartTime = (uint)GracefulRestartDefaults.RestartTime.TotalSeconds,
                DeferralTime = (uint)_restartDeferral.TotalSeconds,
            },
        };
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            var afiSafi = new AfiSafi
            {
                Config = new AfiSafiConfig { Family = GoBgpPaths.FamilyOf(family), Enabled = true },
                MpGracefulRestart = new MpGracefulRestart { Config = new MpGracefulRestartConfig { Enabled = true } },
            };
            if (config.MaxPrefixes is { } max)
            {
                afiSafi.PrefixLimits = new PrefixLimit { Family = GoBgpPaths.FamilyOf(family), MaxPrefixes = (uint)max };
            }
            peer.AfiSafis.Add(afiSafi);
        }
        return peer;
    }

    /// <summary>The session's source: an explicit sourceAddress as given, None none (the kernel picks), else the node's address.</summary>
    private IPAddress? SourceAddressOf(BgpPeerConfig config) =>
        config.EffectivePolicy.SourceAddress
        ?? (config.EffectivePolicy.UseNodeIP ? LocalAddressFor(config.Address.AddressFamily) : null);

    /// <summary>The policy fields gobgpd takes as session settings (the rest are statements of its policy).</summary>
    private static (uint?, int, int?, bool, IPAddress?) SessionFieldsOf(BgpPeerPolicy policy) =>
        (policy.LocalAsNumber, policy.AllowedLocalAsNumbers, policy.TtlSecurity, policy.UseNodeIP, policy.SourceAddress);

    /// <summary>
    /// Whether a session an earlier agent configured is the one wanted now, on the settings we set
    /// (GoBGP fills in defaults for the ones we leave at zero, so only those we set are compared;
    /// TTL settings it does not report are taken as they are, so an agent restart keeps the session).
    /// </summary>
    private static bool SameSettings(Peer adopted, Peer wanted) =>
        adopted.Conf?.PeerAsn == wanted.Conf.PeerAsn
        && adopted.Conf?.Description == wanted.Conf.Description
        && (wanted.Conf.LocalAsn == 0 || adopted.Conf?.LocalAsn == wanted.Conf.LocalAsn)
        && adopted.Conf?.AllowOwnAsn == wanted.Conf.AllowOwnAsn
        && (adopted.TtlSecurity is null || (adopted.TtlSecurity.Enabled == (wanted.TtlSecurity is not null) && (wanted.TtlSecurity is null || adopted.TtlSecurity.TtlMin == wanted.TtlSecurity.TtlMin)))
        && (adopted.EbgpMultihop is null || adopted.EbgpMultihop.Enabled == (wanted.EbgpMultihop is not null))
        && (wanted.Transport.LocalAddress.Length == 0 || adopted.Transport?.LocalAddress == wanted.Transport.LocalAddress)
        && (adopted.Conf?.AuthPassword is not { Length: > 0 } password || password == wanted.Conf.AuthPassword)
        && adopted.Transport?.PassiveMode == wanted.Transport.PassiveMode
        && adopted.Transport?.RemotePort == wanted.Transport.RemotePort
        && (adopted.RouteReflector?.RouteReflectorClient ?? false) == wanted.RouteReflector.RouteReflectorClient
        && (adopted.GracefulRestart?.Enabled ?? false)
        && (wanted.Timers.Config.HoldTime == 0 || adopted.Timers?.Config?.HoldTime == wanted.Timers.Config.HoldTime)
        && (wanted.Timers.Config.KeepaliveInterval == 0 || adopted.Timers?.Config?.KeepaliveInterval == wanted.Timers.Config.KeepaliveInterval);

    /// <summary>
    /// An explicit sourceAddress this namespace does not have, said as the built-in speaker says it:
    /// gobgpd only logs its failed bind, and never falls back to another address either.
    /// </summary>
    private static string? MissingSourceAddress(BgpPeerConfig config, PeerState state) =>
        state != PeerState.Established
        && config.EffectivePolicy.SourceAddress is { } source
        && !NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Any(a => a.Address.Equals(source))
            ? $"source address {source} is not an address of this node"
            : null;

    /// <summary>
    /// GoBGP's API has no "last error" for a peer (it only logs the reason): say so, with what it
    /// does report (its admin state, the NOTIFICATIONs counted), rather than an empty field that
    /// reads as "nothing wrong".
    /// </summary>
    private static string? LastErrorOf(Peer peer, PeerState state)
    {
        var admin = peer.State?.AdminState ?? Api.PeerState.Types.AdminState.Up;
        if (admin == Api.PeerState.Types.AdminState.PfxCt)
        {
            return "more prefixes than its maxPrefixes: gobgpd holds the session down (GoBGP reports no other detail)";
        }
        if (admin == Api.PeerState.Types.AdminState.Down)
        {
            return "administratively down in gobgpd";
        }
        if (state == PeerState.Established)
        {
            return null;
        }
        var notifications = peer.State?.Messages?.Received?.Notification ?? 0;
        return notifications > 0
            ? $"not reported by the GoBGP backend ({notifications} NOTIFICATIONs received so far; gobgpd's log has the reason)"
            : "not reported by the GoBGP backend (gobgpd's log has the reason)";
    }

    private static PeerState ToState(SessionState state) => state switch
    {
        SessionState.Connect => PeerState.Connect,
        SessionState.Active => PeerState.Active,
        SessionState.Opensent => PeerState.OpenSent,
        SessionState.Openconfirm => PeerState.OpenConfirm,
        SessionState.Established => PeerState.Established,
        _ => PeerState.Idle,
    };
}
