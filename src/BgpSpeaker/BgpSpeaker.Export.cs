using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// Decisions out: after each batch of work the loop turns the prefixes whose decision changed into
/// per-peer UPDATEs (only the difference from Adj-RIB-Out, grouped by attributes so that one
/// UPDATE carries many prefixes) and into kernel changes for the node agent. A peer with ADD-PATH
/// send in a family (RFC 7911) gets every admitted candidate of a prefix under its origin's Path
/// Identifier, and hears also of changes among candidates that leave the decision as it was.
/// </summary>
public sealed partial class BgpSpeaker
{
    private void Flush()
    {
        if ((_dirty.Count == 0 && _pathsDirty.Count == 0) || _deferring)
        {
            return;
        }
        // Grouped peers are diffed once per group (BgpSpeaker.ExportGroups.cs); the others, which
        // send ADD-PATH identifiers, one by one against their own Adj-RIB-Out.
        var batches = new List<OutBatch>();
        foreach (var peer in _peers.Values)
        {
            if (peer.IsEstablished && peer.Group is null)
            {
                batches.Add(new OutBatch(peer));
            }
        }
        var groupBatches = new List<GroupBatch>(_groups.Count);
        foreach (var group in _groups.Values)
        {
            groupBatches.Add(new GroupBatch(group));
        }
        if (_pathsDirty.Count != 0)
        {
            foreach (var batch in batches)
            {
                if (batch.Peer!.Codec is { AddPathIpv4: AddPathMode.None, AddPathIpv6: AddPathMode.None })
                {
                    continue;
                }
                foreach (var prefix in _pathsDirty)
                {
                    if (batch.Peer.Codec.WritesPathIds(prefix.IsIPv6))
                    {
                        DiffPaths(batch, prefix);
                    }
                }
            }
            _pathsDirty.Clear();
        }
        var kernelChanges = new List<BestRouteChange>(Math.Min(_dirty.Count, KernelChangesPerBatch));
        foreach (var prefix in _dirty)
        {
            var best = _rib.TakeDecision(prefix, out var wasInstalled);
            EmitKernelChange(kernelChanges, prefix, best, wasInstalled);
            if (kernelChanges.Count == KernelChangesPerBatch)
            {
                WriteKernelChanges(kernelChanges);
                kernelChanges = new List<BestRouteChange>(KernelChangesPerBatch);
            }
            foreach (var batch in batches)
            {
                Diff(batch, prefix, best);
            }
            foreach (var groupBatch in groupBatches)
            {
                DiffGroup(groupBatch.Group, groupBatch, prefix, best);
            }
        }
        _dirty.Clear();
        if (kernelChanges.Count > 0)
        {
            WriteKernelChanges(kernelChanges);
        }
        foreach (var batch in batches)
        {
            Send(batch);
        }
        foreach (var groupBatch in groupBatches)
        {
            SendGroup(groupBatch);
        }
    }

    /// <summary>Brings one ungrouped peer's Adj-RIB-Out in line with the Loc-RIB (a new session, a refresh, a policy change).</summary>
    private void SyncPeer(PeerState peer, RouteFamily? family)
    {
        var batch = new OutBatch(peer);
        foreach (var (prefix, best) in _rib.AllBest())
        {
            if (family is null || FamilyOf(prefix) == family)
            {
                Diff(batch, prefix, best);
            }
        }
        foreach (var prefix in peer.Out.Advertised.Select(a => a.Key).Where(p => _rib.Best(p) is null).ToList())
        {
            Diff(batch, prefix, null);
        }
        foreach (var prefix in peer.Out.PathPrefixes.Where(p => _rib.Best(p) is null).ToList())
        {
            DiffPaths(batch, prefix);
        }
        Send(batch);
    }

    private void SendEndOfRib(PeerState peer)
    {
        foreach (var family in peer.Negotiated!.Families)
        {
            peer.Session.SendUpdates(UpdateCodec.EndOfRib(family), 1);
        }
    }

    private void Diff(OutBatch batch, RibPrefix prefix, BestPathResult? best)
    {
        var peer = batch.Peer!;
        if (peer.Codec.WritesPathIds(prefix.IsIPv6))
        {
            DiffPaths(batch, prefix);
            return;
        }
        PathAttributes? desired = null;
        if (best is not null && peer.Negotiated!.Families.Contains(FamilyOf(prefix)) && _exportRules.Admits(prefix, best, peer.Target!))
        {
            desired = ExportedAttributes(batch, prefix, best.Best);
        }
        if (desired is null)
        {
            if (peer.Out.Remove(prefix))
            {
                batch.Withdraw(prefix);
            }
            return;
        }
        if (peer.Out.Replace(prefix, desired))
        {
            batch.Announce(desired, prefix);
        }
    }

    /// <summary>The attributes this peer receives for one path of <paramref name="prefix"/>; null when the path cannot go out (no next hop).</summary>
    private PathAttributes? ExportedAttributes(OutBatch batch, RibPrefix prefix, RoutePath path)
    {
        var attributes = batch.Transform(_sharedExports, path, Families.AddressFamilyOf(prefix));
        if (attributes is not null && batch.Target.Policy.PrefixCommunities.Count != 0)
        {
            attributes = batch.WithPrefixCommunities(attributes, prefix);
        }
        // While the node drains (RFC 8326), every path it sends carries GRACEFUL_SHUTDOWN.
        if (attributes is not null && _gracefulShutdown)
        {
            attributes = batch.WithGracefulShutdown(attributes);
        }
        return attributes;
    }

    /// <summary>ADD-PATH send: brings every path of <paramref name="prefix"/> this peer may receive in line with what it was sent.</summary>
    private void DiffPaths(OutBatch batch, RibPrefix prefix)
    {
        var peer = batch.Peer!;
        var desired = batch.Desired;
        desired.Clear();
        if (peer.Negotiated!.Families.Contains(FamilyOf(prefix)))
        {
            var candidates = _rib.Candidates(prefix);
            for (var i = 0; i < candidates.Count; i++)
            {
                var path = candidates[i];
                if (_exportRules.Admits(prefix, path, peer.Target!) && ExportedAttributes(batch, prefix, path) is { } attributes)
                {
                    desired.Add((path.OutgoingPathId, attributes));
                }
            }
        }
        var announce = batch.ToAnnounce;
        var withdraw = batch.ToWithdraw;
        announce.Clear();
        withdraw.Clear();
        peer.Out.ReplacePaths(prefix, desired, announce, withdraw);
        foreach (var (pathId, attributes) in announce)
        {
            batch.Announce(attributes, prefix, pathId);
        }
        foreach (var pathId in withdraw)
        {
            batch.Withdraw(prefix, pathId);
        }
    }

    private void Send(OutBatch batch)
    {
        var peer = batch.Peer!;
        var session = peer.Session;
        foreach (var (_, group) in batch.Withdrawals)
        {
            var (bytes, messages) = group.Prefixes.Count == 1 && group.PathIds is null
                ? EncodedOnce(PathAttributes.Empty, group.Prefixes, peer.Codec)
                : UpdateCodec.EncodeWithdrawals(group.Prefixes, group.PathIds, peer.Codec);
            session.SendUpdates(bytes, messages);
        }
        foreach (var (attributes, group) in batch.Announcements)
        {
            var (bytes, messages) = group.Prefixes.Count == 1 && group.PathIds is null
                ? EncodedOnce(attributes, group.Prefixes, peer.Codec)
                : UpdateCodec.EncodeAnnouncements(attributes, group.Prefixes, group.PathIds, peer.Codec);
            session.SendUpdates(bytes, messages);
        }
    }

    /// <summary>
    /// The UPDATE for one prefix (a withdrawal when <paramref name="attributes"/> is
    /// <see cref="PathAttributes.Empty"/>), encoded once and sent to every peer that gets the same
    /// bytes: a reflector passes each client's change to all the others, and a new client's table
    /// is the same single-prefix UPDATEs as the last one's, however many loop rounds apart (cleared
    /// per round, it was re-encoded for nearly every client of a burst: ~400 MB allocated for
    /// 1,000). The bytes depend only on the key, so an entry never goes wrong, only unused; the
    /// whole cache is dropped past <see cref="EncodedOnceLimit"/> entries.
    /// </summary>
    private (byte[] Bytes, int Messages) EncodedOnce(PathAttributes attributes, List<RibPrefix> prefixes, BgpCodecContext codec)
    {
        var key = (attributes, prefixes[0], codec);
        if (!_encodedOnce.TryGetValue(key, out var encoded))
        {
            encoded = ReferenceEquals(attributes, PathAttributes.Empty)
                ? UpdateCodec.EncodeWithdrawals(prefixes, pathIds: null, codec)
                : UpdateCodec.EncodeAnnouncements(attributes, prefixes, pathIds: null, codec);
            _encodedOnce.Add(key, encoded);
        }
        return encoded;
    }

    /// <summary>Hands one batch of decisions to the node agent; every batch written is counted (<see cref="RoutesSelectedAfter"/>).</summary>
    private void WriteKernelChanges(List<BestRouteChange> changes)
    {
        _changes.Writer.TryWrite(changes);
        _changeBatches++;
    }

    private static void EmitKernelChange(List<BestRouteChange> changes, RibPrefix prefix, BestPathResult? best, bool wasInstalled)
    {
        if (best is { Installs: true })
        {
            var kind = wasInstalled ? RouteChangeKind.Replace : RouteChangeKind.Add;
            changes.Add(new BestRouteChange(kind, prefix, NextHops(best.Multipath), best.Best.Source.PeerAddress, best.Reason));
        }
        else if (wasInstalled)
        {
            changes.Add(new BestRouteChange(RouteChangeKind.Withdraw, prefix, [], null, best?.Reason ?? DecisionReason.OnlyPath));
        }
    }

    /// <summary>The distinct next hops of an ECMP set; a loop rather than LINQ, as this runs for every changed prefix.</summary>
    private static IReadOnlyList<IPAddress> NextHops(IReadOnlyList<RoutePath> multipath)
    {
        if (multipath.Count == 1)
        {
            return multipath[0].NextHops;
        }
        var hops = new List<IPAddress>(multipath.Count);
        for (var i = 0; i < multipath.Count; i++)
        {
            if (multipath[i].Attributes.NextHop is { } hop && !hops.Contains(hop))
            {
                hops.Add(hop);
            }
        }
        return [.. hops];
    }

    /// <summary>
    /// One peer's (or one export group's: <see cref="Peer"/> null) pending changes from one flush,
    /// and the attribute transformations already worked out.
    /// </summary>
    private sealed partial class OutBatch(ExportTarget target, PeerState? peer)
    {
        public OutBatch(PeerState peer)
            : this(peer.Target!, peer)
        {
        }

        private readonly Dictionary<(PathAttributes, PathSource, AddressFamily), PathAttributes?> _transformed = [];
        private readonly Dictionary<PathAttributes, PrefixGroup> _announcements = [];
        private readonly Dictionary<RouteFamily, PrefixGroup> _withdrawals = [];
        private readonly Dictionary<(PathAttributes, ulong), PathAttributes> _withCommunities = [];

        /// <summary>One instance per distinct attribute value in this batch, so equal sets from different paths share an UPDATE group.</summary>
        private readonly HashSet<PathAttributes> _canonical = [];

        // The prefixes of one received UPDATE share one path and arrive in a run: the last
        // transformation and the last group are asked for again for each of them, and answer by
        // reference instead of hashing and comparing the attributes per prefix (~3 % of a full
        // table's CPU, docs/BENCHMARKS.md "Full table: ... per prefix").
        private PathAttributes? _lastAttributes;
        private PathSource? _lastSource;
        private AddressFamily _lastFamily;
        private PathAttributes? _lastTransformed;
        private PathAttributes? _lastAnnounced;
        private PrefixGroup? _lastGroup;

        public PeerState? Peer { get; } = peer;

        public ExportTarget Target { get; } = target;

        public IEnumerable<KeyValuePair<PathAttributes, PrefixGroup>> Announcements => _announcements;

        public IEnumerable<KeyValuePair<RouteFamily, PrefixGroup>> Withdrawals => _withdrawals;

        /// <summary>Scratch lists for <see cref="DiffPaths"/>, reused for every prefix of the flush.</summary>
        public List<(uint PathId, PathAttributes Attributes)> Desired { get; } = [];

        public List<(uint PathId, PathAttributes Attributes)> ToAnnounce { get; } = [];

        public List<uint> ToWithdraw { get; } = [];

        public PathAttributes? Transform(SharedExports exports, RoutePath path, AddressFamily family)
        {
            if (ReferenceEquals(path.Attributes, _lastAttributes) && ReferenceEquals(path.Source, _lastSource) && family == _lastFamily)
            {
                return _lastTransformed;
            }
            var key = (path.Attributes, path.Source, family);
            if (!_transformed.TryGetValue(key, out var result))
            {
                result = exports.Transform(path, family, Target);
                if (result is not null)
                {
                    result = Canonical(result);
                }
                _transformed.Add(key, result);
            }
            (_lastAttributes, _lastSource, _lastFamily, _lastTransformed) = (path.Attributes, path.Source, family, result);
            return result;
        }

        /// <summary>
        /// A hash lookup, where a scan of the groups so far made a batch of n attribute sets cost
        /// n²/2 comparisons: 500,000 for each new client of a reflector with 1,000.
        /// </summary>
        private PathAttributes Canonical(PathAttributes attributes)
        {
            if (_canonical.TryGetValue(attributes, out var same))
            {
                return same;
            }
            _canonical.Add(attributes);
            return attributes;
        }

        /// <summary>
        /// <paramref name="attributes"/> with the communities of every prefix rule holding
        /// <paramref name="prefix"/>; one result per attribute set and set of matching rules (a bit
        /// per rule, the first 64; past that nothing is cached), so a table of prefixes under one
        /// rule shares one attribute set and one UPDATE group.
        /// </summary>
        public PathAttributes WithPrefixCommunities(PathAttributes attributes, RibPrefix prefix)
        {
            var rules = Target.Policy.PrefixCommunities;
            ulong mask = 0;
            var any = false;
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i].Cidr.Contains(prefix))
                {
                    any = true;
                    if (i < 64)
                    {
                        mask |= 1UL << i;
                    }
                }
            }
            if (!any)
            {
                return attributes;
            }
            var cacheable = rules.Count <= 64;
            if (cacheable && _withCommunities.TryGetValue((attributes, mask), out var cached))
            {
                return cached;
            }
            var builder = new AttributeBuilder(attributes);
            for (var i = 0; i < rules.Count; i++)
            {
                if (!rules[i].Cidr.Contains(prefix))
                {
                    continue;
                }
                if (rules[i].Standard is { } standard && !builder.Communities.Contains(standard))
                {
                    builder.Communities = builder.Communities.Add(standard);
                }
                if (rules[i].Large is { } large && !builder.LargeCommunities.Contains(large))
                {
                    builder.LargeCommunities = builder.LargeCommunities.Add(large);
                }
            }
            var result = Canonical(builder.Build());
            if (cacheable)
            {
                _withCommunities.Add((attributes, mask), result);
            }
            return result;
        }

        /// <summary>Queues an announcement; <paramref name="pathId"/> where the family sends ADD-PATH identifiers (then for every prefix of it).</summary>
        public void Announce(PathAttributes attributes, RibPrefix prefix, uint? pathId = null)
        {
            if (!ReferenceEquals(attributes, _lastAnnounced))
            {
                if (!_announcements.TryGetValue(attributes, out var found))
                {
                    _announcements.Add(attributes, found = new PrefixGroup());
                }
                (_lastAnnounced, _lastGroup) = (attributes, found);
            }
            _lastGroup!.Add(prefix, pathId);
        }

        public void Withdraw(RibPrefix prefix, uint? pathId = null)
        {
            var family = FamilyOf(prefix);
            if (!_withdrawals.TryGetValue(family, out var group))
            {
                _withdrawals.Add(family, group = new PrefixGroup());
            }
            group.Add(prefix, pathId);
        }
    }

    /// <summary>Prefixes going out in one group, and their ADD-PATH identifiers beside them when the family has them.</summary>
    private sealed class PrefixGroup
    {
        public List<RibPrefix> Prefixes { get; } = [];

        public List<uint>? PathIds { get; private set; }

        public void Add(RibPrefix prefix, uint? pathId)
        {
            Prefixes.Add(prefix);
            if (pathId is { } id)
            {
                (PathIds ??= []).Add(id);
            }
        }
    }
}
