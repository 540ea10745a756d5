using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Rib.BestPath;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>
/// Export groups (<see cref="ExportGroup"/>): every Established peer without ADD-PATH send belongs
/// to the group of its export shape. A flush diffs each changed prefix once per group, encodes
/// each resulting UPDATE once and queues the same bytes to every member; a member that a changed
/// path excludes (its own route, or a reflected one naming it as originator) gets the few UPDATEs
/// that differ for it encoded on their own.
/// </summary>
public sealed partial class BgpSpeaker
{
    private readonly Dictionary<ExportGroupKey, ExportGroup> _groups = [];

    /// <summary>Peers that send ADD-PATH identifiers keep an Adj-RIB-Out of their own (every path of a prefix, RFC 7911).</summary>
    private static bool SendsPathIds(PeerState peer) => peer.Codec.WritesPathIds(isIPv6: false) || peer.Codec.WritesPathIds(isIPv6: true);

    /// <summary>
    /// Puts an Established peer into the group of its shape, made from the Loc-RIB if there is none
    /// (while route selection is deferred it starts empty: the deferral's end flushes every prefix).
    /// </summary>
    private ExportGroup JoinGroup(PeerState peer)
    {
        var key = ExportGroupKey.Of(peer.Target!, peer.Codec, peer.Negotiated!.Families);
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new ExportGroup(key, peer.Target!);
            _groups.Add(key, group);
            if (!_deferring)
            {
                var transforms = new OutBatch(group.Target, peer: null);
                foreach (var (prefix, best) in _rib.AllBest())
                {
                    DiffGroup(group, batch: null, prefix, best, transforms);
                }
            }
        }
        group.Add(peer);
        peer.Group = group;
        return group;
    }

    private void LeaveGroup(PeerState peer)
    {
        if (peer.Group is not { } group)
        {
            return;
        }
        group.Remove(peer);
        peer.Group = null;
        if (group.Count == 0)
        {
            _groups.Remove(group.Key);
        }
    }

    /// <summary>
    /// Sends a member what its group advertises (all of it, or one family): on joining, on a route
    /// refresh. The parts of the table that exclude nothing for it go out as one run of UPDATEs
    /// encoded for the whole group; the rest is encoded for it alone.
    /// </summary>
    private void SendGroupTable(PeerState peer, RouteFamily? family)
    {
        var group = peer.Group!;
        var table = group.Table();
        var parts = table.Parts;
        if (table.Encoded is not { } run)
        {
            run = table.Encoded = new EncodedRun([.. parts.Select(part => Encode(part.Attributes, part.Prefixes, group.Key.Codec))]);
        }
        for (var p = run.Count; p < parts.Count; p++)
        {
            // Parts added since the run was encoded (new prefixes, each client's own block).
            var (bytes, messages) = Encode(parts[p].Attributes, parts[p].Prefixes, group.Key.Codec);
            run.Append(bytes, messages);
        }
        OutBatch? own = null;
        var start = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            var whole = true;
            for (var i = 0; i < part.Prefixes.Count && whole; i++)
            {
                whole = (family is null || FamilyOf(part.Prefixes[i]) == family) && !group.Excludes(peer, part.Paths[i]);
            }
            if (whole)
            {
                continue;
            }
            run.Send(peer.Session, start, p);
            start = p + 1;
            for (var i = 0; i < part.Prefixes.Count; i++)
            {
                if ((family is null || FamilyOf(part.Prefixes[i]) == family) && !group.Excludes(peer, part.Paths[i]))
                {
                    (own ??= new OutBatch(peer)).Announce(part.Attributes, part.Prefixes[i]);
                }
            }
        }
        run.Send(peer.Session, start, parts.Count);
        if (own is not null)
        {
            Send(own);
        }
    }

    /// <summary>The UPDATEs for one group of prefixes (a withdrawal when <paramref name="attributes"/> is <see cref="PathAttributes.Empty"/>).</summary>
    private (byte[] Bytes, int Messages) Encode(PathAttributes attributes, List<RibPrefix> prefixes, BgpCodecContext codec) =>
        prefixes.Count == 1 ? EncodedOnce(attributes, prefixes, codec)
        : ReferenceEquals(attributes, PathAttributes.Empty) ? UpdateCodec.EncodeWithdrawals(prefixes, pathIds: null, codec)
        : UpdateCodec.EncodeAnnouncements(attributes, prefixes, pathIds: null, codec);

    /// <summary>A member's export policy changed: it moves to the group of its new shape and is sent the difference.</summary>
    private void Regroup(PeerState peer)
    {
        var old = peer.Group!;
        if (ExportGroupKey.Of(peer.Target!, peer.Codec, peer.Negotiated!.Families) == old.Key)
        {
            return;
        }
        var had = new Dictionary<RibPrefix, PathAttributes>();
        foreach (var (prefix, entry) in old.Entries)
        {
            if (!old.Excludes(peer, entry.Path))
            {
                had.Add(prefix, entry.Attributes);
            }
        }
        LeaveGroup(peer);
        var group = JoinGroup(peer);
        var batch = new OutBatch(peer);
        foreach (var (prefix, entry) in group.Entries)
        {
            if (group.Excludes(peer, entry.Path))
            {
                continue;
            }
            if (!had.Remove(prefix, out var sent) || !sent.Equals(entry.Attributes))
            {
                batch.Announce(entry.Attributes, prefix);
            }
        }
        foreach (var prefix in had.Keys)
        {
            batch.Withdraw(prefix);
        }
        Send(batch);
    }

    /// <summary>Works every prefix out again for one group and sends the members what changed (graceful shutdown on or off).</summary>
    private void ResyncGroup(ExportGroup group)
    {
        var batch = new GroupBatch(group);
        foreach (var (prefix, best) in _rib.AllBest())
        {
            DiffGroup(group, batch, prefix, best);
        }
        foreach (var prefix in group.Entries.Select(e => e.Key).Where(p => _rib.Best(p) is null).ToList())
        {
            DiffGroup(group, batch, prefix, null);
        }
        SendGroup(batch);
    }

    /// <summary>
    /// Brings the group's entry for <paramref name="prefix"/> in line with <paramref name="best"/>,
    /// queueing the change in <paramref name="batch"/> (null: only the entry, nobody to tell yet).
    /// </summary>
    private void DiffGroup(ExportGroup group, GroupBatch? batch, RibPrefix prefix, BestPathResult? best, OutBatch? transforms = null)
    {
        var work = batch?.Out ?? transforms!;
        PathAttributes? desired = null;
        if (best is not null && group.Key.Has(prefix) && _exportRules.Admits(prefix, best, group.Target))
        {
            desired = ExportedAttributes(work, prefix, best.Best);
        }
        var had = group.TryGet(prefix, out var old);
        if (desired is null)
        {
            if (!had)
            {
                return;
            }
            group.Remove(prefix);
            if (batch is not null)
            {
                batch.Out.Withdraw(prefix);
                batch.Exceptions(prefix, old, null, GroupAction.Withdraw);
            }
            return;
        }
        var entry = new ExportGroup.Advertised(desired, best!.Best);
        if (had && ReferenceEquals(old.Path, entry.Path) && old.Attributes.Equals(desired))
        {
            return;
        }
        group.Set(prefix, entry);
        if (batch is null)
        {
            return;
        }
        var changed = !had || !old.Attributes.Equals(desired);
        if (changed)
        {
            batch.Out.Announce(desired, prefix);
        }
        batch.Exceptions(prefix, had ? old : null, entry, changed ? GroupAction.Announce : GroupAction.None);
    }

    /// <summary>
    /// Encodes the group's UPDATEs once and queues them to every member; a member with exceptions
    /// gets the UPDATEs that hold none of its exceptions as they are, and the rest encoded for it.
    /// </summary>
    private void SendGroup(GroupBatch batch)
    {
        var group = batch.Group;
        var codec = group.Key.Codec;
        var encoded = new List<(byte[] Bytes, int Messages)>();
        foreach (var (_, prefixes) in batch.Out.Withdrawals)
        {
            encoded.Add(Encode(PathAttributes.Empty, prefixes.Prefixes, codec));
        }
        foreach (var (attributes, prefixes) in batch.Out.Announcements)
        {
            encoded.Add(Encode(attributes, prefixes.Prefixes, codec));
        }
        if (encoded.Count == 0 && !batch.HasExceptions)
        {
            return;
        }
        var run = new EncodedRun(encoded);
        foreach (var member in group.Members)
        {
            if (batch.ExceptionsOf(member) is not { } exceptions)
            {
                run.Send(member.Session, 0, run.Count);
                continue;
            }
            var own = new OutBatch(member);
            var index = 0;
            var start = 0;
            foreach (var (family, prefixes) in batch.Out.Withdrawals)
            {
                if (exceptions.Withdrawals.Contains(family))
                {
                    run.Send(member.Session, start, index);
                    start = index + 1;
                    foreach (var prefix in prefixes.Prefixes)
                    {
                        if (!exceptions.Prefixes.ContainsKey(prefix))
                        {
                            own.Withdraw(prefix);
                        }
                    }
                }
                index++;
            }
            foreach (var (attributes, prefixes) in batch.Out.Announcements)
            {
                if (exceptions.Announcements.Contains(attributes))
                {
                    run.Send(member.Session, start, index);
                    start = index + 1;
                    foreach (var prefix in prefixes.Prefixes)
                    {
                        if (!exceptions.Prefixes.ContainsKey(prefix))
                        {
                            own.Announce(attributes, prefix);
                        }
                    }
                }
                index++;
            }
            run.Send(member.Session, start, run.Count);
            foreach (var (prefix, attributes) in exceptions.Prefixes)
            {
                if (attributes is null)
                {
                    own.Withdraw(prefix);
                }
                else if (!ReferenceEquals(attributes, PathAttributes.Empty))
                {
                    own.Announce(attributes, prefix);
                }
            }
            Send(own);
        }
    }

    private enum GroupAction
    {
        None,
        Announce,
        Withdraw,
    }

    /// <summary>One group's pending changes from one flush, and the members for whom some of them differ.</summary>
    private sealed class GroupBatch(ExportGroup group)
    {
        private readonly List<PeerState> _excluded = [];
        private Dictionary<PeerState, MemberExceptions>? _exceptions;

        public ExportGroup Group { get; } = group;

        /// <summary>The group's UPDATEs, as one peer's batch would hold them.</summary>
        public OutBatch Out { get; } = new(group.Target, peer: null);

        public bool HasExceptions => _exceptions is not null;

        public MemberExceptions? ExceptionsOf(PeerState member) =>
            _exceptions is not null && _exceptions.TryGetValue(member, out var exceptions) ? exceptions : null;

        /// <summary>
        /// For each member the old or the new path excludes: what it has been sent (the old entry
        /// unless that excluded it) against what it is to have, and an exception where its own
        /// change differs from the group's.
        /// </summary>
        public void Exceptions(RibPrefix prefix, ExportGroup.Advertised? old, ExportGroup.Advertised? now, GroupAction groupAction)
        {
            _excluded.Clear();
            if (old is { } before)
            {
                Group.AddExcluded(before.Path, _excluded);
            }
            if (now is { } after)
            {
                Group.AddExcluded(after.Path, _excluded);
            }
            foreach (var member in _excluded)
            {
                var had = old is { } o && !Group.Excludes(member, o.Path);
                var wants = now is { } n && !Group.Excludes(member, n.Path);
                var own = wants && (!had || !old!.Value.Attributes.Equals(now!.Value.Attributes)) ? GroupAction.Announce
                    : !wants && had ? GroupAction.Withdraw
                    : GroupAction.None;
                if (own == groupAction)
                {
                    continue;
                }
                _exceptions ??= [];
                if (!_exceptions.TryGetValue(member, out var exceptions))
                {
                    _exceptions.Add(member, exceptions = new MemberExceptions());
                }
                // Empty: nothing for this member; null: a withdrawal.
                exceptions.Prefixes[prefix] = own switch
                {
                    GroupAction.Announce => now!.Value.Attributes,
                    GroupAction.Withdraw => null,
                    _ => PathAttributes.Empty,
                };
                if (groupAction == GroupAction.Announce)
                {
                    exceptions.Announcements.Add(now!.Value.Attributes);
                }
                else if (groupAction == GroupAction.Withdraw)
                {
                    exceptions.Withdrawals.Add(FamilyOf(prefix));
                }
            }
        }
    }

    /// <summary>
    /// The prefixes of one flush that go differently to one member (what it gets instead:
    /// attributes, null for a withdrawal, <see cref="PathAttributes.Empty"/> for nothing), and the
    /// group UPDATEs that hold them and so are encoded for it without them.
    /// </summary>
    private sealed class MemberExceptions
    {
        public Dictionary<RibPrefix, PathAttributes?> Prefixes { get; } = [];

        public HashSet<PathAttributes> Announcements { get; } = [];

        public HashSet<RouteFamily> Withdrawals { get; } = [];
    }
}
