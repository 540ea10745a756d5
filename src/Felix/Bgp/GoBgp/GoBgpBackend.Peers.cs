using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.Felix.Bgp.GoBgp.Api;
using SessionState = RoutedNet.Felix.Bgp.GoBgp.Api.PeerState.Types.SessionState;

namespace RoutedNet.Felix.Bgp.GoBgp;

/// <summary>The sessions and policy as gobgpd is told them, kept to the built-in speaker's behaviour.</summary>
public sealed partial class GoBgpBackend
{
    private static readonly GracefulRestartOptions GracefulRestartDefaults = new();

    private Peer ToPeer(BgpPeerConfig config)
    {
        var peer = new Peer
        {
            Conf = new PeerConf
            {
                NeighborAddress = config.Address.ToString(),
                PeerAsn = config.AsNumber,
                AuthPassword = config.Password ?? "",
                Description = config.Source,
            },
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
                LocalAddress = LocalAddressFor(config.Address.AddressFamily)?.ToString() ?? "",
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

    /// <summary>
    /// Whether a session an earlier agent configured is the one wanted now, on the settings we set
    /// (GoBGP fills in defaults for the ones we leave at zero, so only those we set are compared).
    /// </summary>
    private static bool SameSettings(Peer adopted, Peer wanted) =>
        adopted.Conf?.PeerAsn == wanted.Conf.PeerAsn
        && adopted.Conf?.Description == wanted.Conf.Description
        && (adopted.Conf?.AuthPassword is not { Length: > 0 } password || password == wanted.Conf.AuthPassword)
        && adopted.Transport?.PassiveMode == wanted.Transport.PassiveMode
        && adopted.Transport?.RemotePort == wanted.Transport.RemotePort
        && (adopted.RouteReflector?.RouteReflectorClient ?? false) == wanted.RouteReflector.RouteReflectorClient
        && (adopted.GracefulRestart?.Enabled ?? false)
        && (wanted.Timers.Config.HoldTime == 0 || adopted.Timers?.Config?.HoldTime == wanted.Timers.Config.HoldTime)
        && (wanted.Timers.Config.KeepaliveInterval == 0 || adopted.Timers?.Config?.KeepaliveInterval == wanted.Timers.Config.KeepaliveInterval);

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
