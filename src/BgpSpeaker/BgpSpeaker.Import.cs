using RoutedNet.BgpSpeaker.Codec;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Rib;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker;

/// <summary>Received UPDATEs into Adj-RIB-In and Loc-RIB: RFC 7606 outcome, loop checks, import policy, max-prefix.</summary>
public sealed partial class BgpSpeaker
{
    void ISessionOwner.UpdateReceived(PeerSession session, byte[] body) => Post(() =>
    {
        if (Find(session) is { Source: not null } peer)
        {
            Import(peer, UpdateCodec.Decode(body, peer.Codec));
        }
    });

    void ISessionOwner.RouteRefreshRequested(PeerSession session, RouteFamily family) => Post(() =>
    {
        if (Find(session) is { IsEstablished: true } peer && !_deferring)
        {
            // RFC 2918 §4: send the whole Adj-RIB-Out of that family again.
            if (peer.Group is not null)
            {
                SendGroupTable(peer, family);
                return;
            }
            peer.Out.Forget(isIPv6: family == RouteFamily.Ipv6Unicast);
            SyncPeer(peer, family);
        }
    });

    private void Import(PeerState peer, ReceivedUpdate update)
    {
        if (update.Reset is { } reset)
        {
            LogMalformedUpdate(peer.Session.Name, update.Problem ?? reset.ToString(), "the session is reset");
            peer.Session.Post(new SessionEvent.Fail(reset));
            return;
        }
        if (update.Problem is not null)
        {
            LogMalformedUpdate(peer.Session.Name, update.Problem, update.TreatAsWithdraw ? "its routes are treated as withdrawn (RFC 7606)" : "the attribute is discarded (RFC 7606)");
        }
        var withdrawnIds = update.WithdrawnPathIds;
        for (var i = 0; i < update.Withdrawn.Count; i++)
        {
            var prefix = update.Withdrawn[i];
            Withdraw(peer, prefix, withdrawnIds.Count != 0 && peer.Codec.ReadsPathIds(prefix.IsIPv6) ? withdrawnIds[i] : null);
        }
        foreach (var (attributes, prefixes, pathIds) in update.Announced)
        {
            if (update.TreatAsWithdraw)
            {
                for (var i = 0; i < prefixes.Count; i++)
                {
                    Withdraw(peer, prefixes[i], pathIds.IsEmpty ? null : pathIds[i]);
                }
                continue;
            }
            if (Loops(peer, attributes))
            {
                for (var i = 0; i < prefixes.Count; i++)
                {
                    Filter(peer, prefixes[i], KnownPathId(peer, pathIds, i));
                }
                continue;
            }
            Announce(peer, Normalise(peer, attributes), prefixes, pathIds);
        }
        if (update.EndOfRib is { } family)
        {
            EndOfRibReceived(peer, family);
        }
        if (peer.Options.Import.MaxPrefixes is { } max && peer.In.Count > max && !peer.MaxPrefixTripped)
        {
            peer.MaxPrefixTripped = true;
            LogMaxPrefix(peer.Session.Name, peer.In.Count, max);
            var data = new byte[7];
            var family0 = peer.In.Paths.First().Key;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(FamilyOf(family0) == RouteFamily.Ipv4Unicast ? Afi.Ipv4 : Afi.Ipv6));
            data[2] = (byte)Safi.Unicast;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(3), (uint)max);
            peer.Session.Post(new SessionEvent.Fail(
                new BgpNotification(NotificationCode.Cease, (byte)CeaseSubcode.MaximumNumberOfPrefixesReached, data),
                StayDown: true,
                peer.Options.Import.MaxPrefixRestartAfter));
            DropAll(peer);
        }
    }

    /// <summary>
    /// Takes an announcement into the RIB. <paramref name="pathIds"/> (RFC 7911, empty without
    /// ADD-PATH) keep the peer's paths of a prefix apart: each becomes a candidate of its own.
    /// </summary>
    private void Announce(PeerState peer, PathAttributes attributes, List<RibPrefix> prefixes, System.Collections.Immutable.ImmutableArray<uint> pathIds)
    {
        var families = peer.Negotiated!.Families;
        var accepted = 0;
        foreach (var prefix in prefixes)
        {
            if (families.Contains(FamilyOf(prefix)) && peer.Options.Import.Accepts(prefix))
            {
                accepted++;
            }
        }
        if (accepted == 0)
        {
            for (var i = 0; i < prefixes.Count; i++)
            {
                Filter(peer, prefixes[i], KnownPathId(peer, pathIds, i));
            }
            return;
        }
        // One path for every prefix of the announcement: they share peer, attributes and family
        // (and a second one, made when needed, for the prefixes taken only to pass on). With
        // ADD-PATH, one per Path Identifier: consecutive prefixes under one identifier share it.
        var import = peer.Options.Import;
        var shared = _interner.Acquire(attributes, accepted);
        RoutePath? installed = null;
        RoutePath? passOn = null;
        uint pathId = 0;
        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i];
            if (!families.Contains(FamilyOf(prefix)) || !import.Accepts(prefix))
            {
                Filter(peer, prefix, KnownPathId(peer, pathIds, i));
                continue;
            }
            if (!pathIds.IsEmpty && OurPathId(peer, pathIds[i]) is var id && id != pathId)
            {
                (pathId, installed, passOn) = (id, null, null);
            }
            var path = import.PassesOnOnly(prefix)
                ? passOn ??= new RoutePath(peer.Source!, shared) { PassOnOnly = true, PathId = pathId }
                : installed ??= new RoutePath(peer.Source!, shared) { PathId = pathId };
            if (peer.In.Set(prefix, path, out var changed) is { } old)
            {
                _interner.Release(old.Attributes);
                if (old.IsStale)
                {
                    peer.StaleCount--;
                }
            }
            MarkDirty(prefix, changed);
            Unfilter(peer, prefix);
        }
    }

    /// <summary>
    /// RFC 4271 §9.1.2 AS loop for eBGP (our AS in the path more often than the peer's
    /// <see cref="Policy.ImportPolicy.AllowedLocalAsOccurrences"/> allows); RFC 4456 §8
    /// ORIGINATOR_ID and CLUSTER_LIST loops for iBGP.
    /// </summary>
    private bool Loops(PeerState peer, PathAttributes attributes) =>
        peer.Source!.IsInternal
            ? attributes.OriginatorId == _localId || attributes.ClusterList.Contains(_clusterId)
            : attributes.AsPath is { } path && path.Occurrences(peer.Target!.LocalAs) > peer.Options.Import.AllowedLocalAsOccurrences;

    /// <summary>
    /// RFC 4271 §5.1.5: LOCAL_PREF from another AS means nothing here; give it ours. RFC 8326 §4.2:
    /// a route tagged GRACEFUL_SHUTDOWN (65535:0) is taken with LOCAL_PREF 0, from any peer, so that
    /// while a neighbour drains every other path wins and traffic moves before its withdraw; alone,
    /// the route is still used.
    /// </summary>
    private PathAttributes Normalise(PeerState peer, PathAttributes attributes)
    {
        var draining = attributes.Communities.Length > 0 && attributes.Communities.Contains(GracefulShutdownCommunity);
        if (peer.Source!.IsInternal && attributes.LocalPref is { } received && (!draining || received == 0))
        {
            return attributes;
        }
        var localPref = draining ? 0 : peer.Source.IsInternal ? attributes.LocalPref ?? _global.DefaultLocalPreference : _global.DefaultLocalPreference;
        var builder = new AttributeBuilder(attributes) { LocalPref = localPref };
        if (!peer.Source.IsInternal)
        {
            builder.OriginatorId = null;
            builder.ClusterList = [];
        }
        return builder.Build();
    }

    /// <summary>
    /// After an import policy change: filter what is no longer allowed (the peer still announces it),
    /// and ask the peer for the rest again; what is now allowed leaves the filtered set as it arrives.
    /// </summary>
    private void ApplyImportPolicy(PeerState peer)
    {
        foreach (var (prefix, path) in peer.In.Paths.Where(p => !peer.Options.Import.Accepts(p.Key)).ToList())
        {
            Filter(peer, prefix, path.PathId);
        }
        if (peer.Negotiated is { } negotiated)
        {
            foreach (var family in negotiated.Families)
            {
                peer.Session.SendRouteRefresh(family);
            }
        }
    }

    /// <summary>
    /// The peer stopped announcing the prefix (a withdrawal, or RFC 7606 treat-as-withdraw), under
    /// <paramref name="receivedPathId"/> where the family carries ADD-PATH identifiers (RFC 7911
    /// §3: only that path goes); one we never took removes nothing.
    /// </summary>
    private void Withdraw(PeerState peer, RibPrefix prefix, uint? receivedPathId)
    {
        if (receivedPathId is not { } received)
        {
            RemoveFromPeer(peer, prefix, pathId: 0);
        }
        else if (peer.ReceivedPathIds is { } ids && ids.TryGetValue(received, out var ours))
        {
            RemoveFromPeer(peer, prefix, ours);
        }
        Unfilter(peer, prefix);
    }

    /// <summary>
    /// The peer announces the prefix but we do not take it: out of Adj-RIB-In (the path of
    /// <paramref name="pathId"/>; null, an ADD-PATH identifier never taken, has none), still counted as received.
    /// </summary>
    private void Filter(PeerState peer, RibPrefix prefix, uint? pathId)
    {
        if (pathId is { } id)
        {
            RemoveFromPeer(peer, prefix, id);
        }
        peer.Filtered.Add(prefix);
        peer.ImportRejected++;
    }

    /// <summary>
    /// The <see cref="RoutePath.PathId"/> of the <paramref name="index"/>th prefix of an announcement:
    /// 0 without ADD-PATH identifiers, the one given to the peer's identifier, or null when none was.
    /// </summary>
    private static uint? KnownPathId(PeerState peer, System.Collections.Immutable.ImmutableArray<uint> pathIds, int index)
    {
        if (pathIds.IsEmpty)
        {
            return 0;
        }
        return peer.ReceivedPathIds is { } ids && ids.TryGetValue(pathIds[index], out var ours) ? ours : null;
    }

    /// <summary>
    /// The identifier this speaker gives the peer's Path Identifier <paramref name="received"/>
    /// (RFC 7911): made once per peer and identifier, from the counter that numbers peers, so no
    /// two origins' paths share one when sent on to ADD-PATH peers.
    /// </summary>
    private uint OurPathId(PeerState peer, uint received)
    {
        ref var ours = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(peer.ReceivedPathIds ??= [], received, out var exists);
        if (!exists)
        {
            ours = _nextPathId++;
        }
        return ours;
    }

    /// <summary>The prefix is no longer refused (accepted now, or withdrawn); the empty set, the usual case, is not hashed into.</summary>
    private static void Unfilter(PeerState peer, RibPrefix prefix)
    {
        if (peer.Filtered.Count != 0)
        {
            peer.Filtered.Remove(prefix);
        }
    }

    /// <summary>Removes the peer's path with <paramref name="pathId"/> (<see cref="RoutePath.PathId"/>) for the prefix, if it has one.</summary>
    private void RemoveFromPeer(PeerState peer, RibPrefix prefix, uint pathId)
    {
        if (peer.In.Remove(prefix, pathId, out var changed) is { } old)
        {
            _interner.Release(old.Attributes);
            if (old.IsStale)
            {
                peer.StaleCount--;
            }
            MarkDirty(prefix, changed);
        }
    }

    private void SetPath(RibPrefix prefix, RoutePath path) => MarkDirty(prefix, _rib.Set(prefix, path));

    private void RemovePath(RibPrefix prefix, PathSource source) => MarkDirty(prefix, _rib.Remove(prefix, source));

    /// <summary>A prefix's candidates changed: all peers hear of it when its decision did, ADD-PATH peers in any case.</summary>
    private void MarkDirty(RibPrefix prefix, bool decisionChanged)
    {
        if (decisionChanged)
        {
            _dirty.Add(prefix);
        }
        else
        {
            _pathsDirty.Add(prefix);
        }
    }
}
