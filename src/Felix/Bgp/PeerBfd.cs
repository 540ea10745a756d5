using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Logging;
using RoutedNet.BgpSpeaker.Bfd;
using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Bgp;

/// <summary>
/// The BFD sessions beside the built-in speaker's BGP sessions (BGPPeer spec.bfd): one per peer
/// that asks for it, kept in step with the peers, and a path failure turned into the BGP session's
/// end (<paramref name="pathDown"/>). A session that never came up never ends BGP (only Up →
/// Down is a failure), and in Graceful mode a peer whose BFD shares fate with its control plane
/// (C bit 0) going down is left to BGP graceful restart: it may be restarting. A peer on none of
/// the node's connected subnets gets a multihop session (RFC 5883), decided when it starts
/// (<paramref name="onConnectedSubnet"/>; by default the node's interface addresses).
/// </summary>
internal sealed partial class PeerBfd(Func<IPAddress, Task> pathDown, ILogger logger, Func<IPAddress, bool>? onConnectedSubnet = null) : IDisposable
{
    private readonly Func<IPAddress, bool> _onConnectedSubnet = onConnectedSubnet ?? OnConnectedSubnet;

    private readonly Dictionary<IPAddress, BgpPeerBfd> _sessions = [];
    // Read by the API and metrics threads (Sessions), written by the host loop.
    private volatile BfdService? _service;

    /// <summary>Starts, changes and ends sessions so that exactly the peers in <paramref name="peers"/> with a BFD setting have one.</summary>
    public void Sync(IEnumerable<BgpPeerConfig> peers)
    {
        var wanted = peers.Where(p => p.Bfd is not null).ToDictionary(p => p.Address, p => p.Bfd!);
        foreach (var (address, current) in _sessions.ToList())
        {
            if (!wanted.TryGetValue(address, out var bfd) || bfd != current)
            {
                _service!.Remove(address);
                _sessions.Remove(address);
            }
        }
        foreach (var (address, bfd) in wanted)
        {
            if (_sessions.ContainsKey(address))
            {
                continue;
            }
            _service ??= new BfdService();
            _service.Add(new BfdPeer(address, null, bfd.Timers, Multihop: !_onConnectedSubnet(address), bfd.MinimumTtl), transition => Changed(address, bfd, transition));
            _sessions[address] = bfd;
        }
    }

    public IReadOnlyList<BfdSessionStatus> Sessions() => _service?.Sessions() ?? [];

    public void Dispose()
    {
        // Each session tells its peer AdministrativelyDown: a planned stop, not a failure.
        _service?.Dispose();
        _service = null;
        _sessions.Clear();
    }

    /// <summary>Whether <paramref name="peer"/> is inside the subnet of one of this namespace's interface addresses (a neighbour on the link).</summary>
    internal static bool OnConnectedSubnet(IPAddress peer) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus != OperationalStatus.Down)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.AddressFamily == peer.AddressFamily && !IPAddress.IsLoopback(a.Address) && SamePrefix(a.Address, peer, a.PrefixLength));

    /// <summary>Whether the first <paramref name="length"/> bits of the two addresses agree (an interface address and its prefix length against a peer).</summary>
    internal static bool SamePrefix(IPAddress ours, IPAddress peer, int length)
    {
        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        ours.TryWriteBytes(a, out var size);
        peer.TryWriteBytes(b, out _);
        for (var bit = 0; bit < length && bit < size * 8; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }
        return true;
    }

    // On a BFD thread: log, and hand a failure to the speaker without waiting for it.
    private void Changed(IPAddress peer, BgpPeerBfd bfd, BfdTransition transition)
    {
        LogStateChanged(logger, peer, transition.From, transition.To, transition.Diagnostic);
        if (!transition.IsFailure)
        {
            return;
        }
        var remoteIndependent = _service?.Sessions().FirstOrDefault(s => s.Peer.Equals(peer))?.RemoteControlPlaneIndependent ?? true;
        if (bfd.Graceful && !remoteIndependent)
        {
            LogTakenAsRestart(logger, peer);
            return;
        }
        LogPathDown(logger, peer, transition.Diagnostic);
        _ = EndAsync(peer);
    }

    private async Task EndAsync(IPAddress peer)
    {
        try
        {
            await pathDown(peer).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the speaker stopping meanwhile is not this thread's to handle; it is logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, peer, e.Message);
        }
    }

    [LoggerMessage(EventId = EventIds.BfdStateChanged, Level = LogLevel.Information, Message = "BFD with {Peer}: {From} -> {To} ({Diagnostic})")]
    private static partial void LogStateChanged(ILogger logger, IPAddress peer, BfdState from, BfdState to, BfdDiagnostic diagnostic);

    [LoggerMessage(EventId = EventIds.BfdPathDown, Level = LogLevel.Warning, Message = "BFD declared the path to {Peer} down ({Diagnostic}): its BGP session ends now (Cease/BFD Down) and its routes with it")]
    private static partial void LogPathDown(ILogger logger, IPAddress peer, BfdDiagnostic diagnostic);

    [LoggerMessage(EventId = EventIds.BfdTakenAsRestart, Level = LogLevel.Warning, Message = "BFD with {Peer} went down, but its BFD shares fate with its control plane and the mode is Graceful: taken as a restart, BGP graceful restart decides")]
    private static partial void LogTakenAsRestart(ILogger logger, IPAddress peer);

    [LoggerMessage(EventId = EventIds.BfdFailed, Level = LogLevel.Warning, Message = "BFD with {Peer}: ending its BGP session failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, IPAddress peer, string reason);
}
