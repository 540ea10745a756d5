using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// Graceful shutdown (RFC 8326), the first step of a drain: every route sent to every peer carries
/// the well-known GRACEFUL_SHUTDOWN community 65535:0, and towards iBGP peers LOCAL_PREF 0 as well
/// (§4.2: the sender may lower it itself where it sets it), so peers move traffic to other paths
/// while ours still forward; the withdraw that follows then loses nothing.
/// </summary>
public sealed partial class BgpSpeaker
{
    /// <summary>GRACEFUL_SHUTDOWN, 65535:0 (RFC 8326 §5).</summary>
    public const uint GracefulShutdownCommunity = 0xFFFF0000;

    private bool _gracefulShutdown;

    /// <summary>
    /// Turns graceful shutdown on or off: every Established peer is sent its whole table again with
    /// (or without) the community; sessions that come up later get it from the start.
    /// </summary>
    public Task SetGracefulShutdownAsync(bool on) => Run(() =>
    {
        if (_gracefulShutdown == on)
        {
            return;
        }
        _gracefulShutdown = on;
        if (_deferring)
        {
            // Nothing has been sent yet; the end of the deferral sends every table with the flag as it is then.
            return;
        }
        foreach (var peer in _peers.Values)
        {
            if (peer.IsEstablished && peer.Group is null)
            {
                SyncPeer(peer, null);
            }
        }
        foreach (var group in _groups.Values)
        {
            ResyncGroup(group);
        }
    });

    private sealed partial class OutBatch
    {
        private readonly Dictionary<PathAttributes, PathAttributes> _withGracefulShutdown = [];

        /// <summary><paramref name="attributes"/> with 65535:0 (and LOCAL_PREF 0 towards an iBGP peer); one result per attribute set.</summary>
        public PathAttributes WithGracefulShutdown(PathAttributes attributes)
        {
            if (_withGracefulShutdown.TryGetValue(attributes, out var cached))
            {
                return cached;
            }
            var builder = new AttributeBuilder(attributes);
            if (!builder.Communities.Contains(GracefulShutdownCommunity))
            {
                builder.Communities = builder.Communities.Add(GracefulShutdownCommunity);
            }
            if (Target.IsInternal)
            {
                builder.LocalPref = 0;
            }
            var result = builder.Build();
            if (_announcements.Keys.FirstOrDefault(result.Equals) is { } same)
            {
                result = same;
            }
            _withGracefulShutdown.Add(attributes, result);
            return result;
        }
    }
}
