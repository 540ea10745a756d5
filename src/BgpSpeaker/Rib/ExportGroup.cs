using System.Net;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Established peers that receive the same UPDATEs (an update group): same export shape, same
/// negotiated families and encoding, no ADD-PATH send. They share one Adj-RIB-Out, so what was
/// advertised is kept once for the group rather than once per peer (a reflector with 1,000
/// clients kept a million entries, ~45 MB, where it now keeps 1,000), and each change is worked
/// out and encoded once and the same bytes queued to every member.
/// <para>
/// Only two export rules look at the peer itself rather than its shape (<see cref="ExportRules.Admits(RibPrefix, RoutePath, ExportTarget)"/>):
/// a path never goes back to the peer it came from, nor, reflected, to the peer its ORIGINATOR_ID
/// names. The group records the path behind each entry, so a member has been sent exactly the
/// entries that do not exclude it (<see cref="Excludes"/>), and only the members an entry's
/// old or new path excludes need UPDATEs of their own.
/// </para>
/// </summary>
internal sealed class ExportGroup(ExportGroupKey key, ExportTarget target)
{
    private readonly Dictionary<IPAddress, PeerState> _byAddress = [];
    private readonly Dictionary<uint, List<PeerState>> _byRouterId = [];

    public ExportGroupKey Key { get; } = key;

    /// <summary>What the group's paths are admitted and transformed against: a member's target with no peer in it.</summary>
    public ExportTarget Target { get; } = target with { PeerAddress = IPAddress.None, PeerRouterId = 0 };

    /// <summary>A <see cref="PrefixTable{TValue}"/>: a group that receives a full table holds an entry per route.</summary>
    private readonly PrefixTable<Advertised> _entries = new();
    private GroupedTable? _table;

    /// <summary>
    /// Entries up to which the grouped table is kept from one loop round to the next: a
    /// reflector's table (a block per client) is worth keeping up to date, a full table's would
    /// be a second copy of a million prefixes beside the entries.
    /// </summary>
    public const int KeptTableEntries = 65_536;

    /// <summary>Per prefix, the attributes advertised and the path they came from.</summary>
    public IEnumerable<KeyValuePair<RibPrefix, Advertised>> Entries => _entries;

    public bool TryGet(RibPrefix prefix, out Advertised entry) => _entries.TryGetValue(prefix, out entry);

    /// <summary>
    /// Sets a prefix's entry. A new prefix goes into the grouped table as it is (clients of a
    /// reflector each add one between the rounds in which others join); any other change drops
    /// the table, to be grouped again when a member needs it.
    /// </summary>
    public void Set(RibPrefix prefix, Advertised entry)
    {
        _entries.GetValueRefOrAddDefault(prefix, out var existed) = entry;
        if (existed)
        {
            ForgetTable();
        }
        else if (_table is not null && _entries.Count <= KeptTableEntries)
        {
            _table.Add(prefix, entry);
        }
        else
        {
            ForgetTable();
        }
    }

    public void Remove(RibPrefix prefix)
    {
        if (_entries.Remove(prefix))
        {
            ForgetTable();
        }
    }

    /// <summary>
    /// The entries grouped by attributes, for the members that join: a reflector's clients
    /// connect by the hundred between two changes, and each took its table as a thousand groups of
    /// its own. Rebuilding it in every round that had joins after changes was ~8 MB of garbage
    /// for 1,000 clients joining 50 at a time; it is kept up to date instead (<see cref="Set"/>).
    /// </summary>
    public GroupedTable Table()
    {
        if (_table is not null)
        {
            return _table;
        }
        var table = new GroupedTable();
        foreach (var (prefix, entry) in _entries)
        {
            table.Add(prefix, entry);
        }
        return _table = table;
    }

    /// <summary>
    /// End of a loop round: a large grouped table is dropped (a full table's would otherwise stay
    /// beside the entries); one of up to <see cref="KeptTableEntries"/> stays for the next joins.
    /// </summary>
    public void EndRound()
    {
        if (_entries.Count > KeptTableEntries)
        {
            ForgetTable();
        }
    }

    public void ForgetTable() => _table = null;

    public IReadOnlyCollection<PeerState> Members => _byAddress.Values;

    public int Count => _byAddress.Count;

    public void Add(PeerState peer)
    {
        _byAddress.Add(peer.Options.Address, peer);
        var routerId = peer.Target!.PeerRouterId;
        if (!_byRouterId.TryGetValue(routerId, out var same))
        {
            _byRouterId.Add(routerId, same = []);
        }
        same.Add(peer);
    }

    public void Remove(PeerState peer)
    {
        _byAddress.Remove(peer.Options.Address);
        var routerId = peer.Target!.PeerRouterId;
        if (_byRouterId.TryGetValue(routerId, out var same))
        {
            same.Remove(peer);
            if (same.Count == 0)
            {
                _byRouterId.Remove(routerId);
            }
        }
    }

    /// <summary>Whether <paramref name="peer"/> must not receive <paramref name="path"/> although the group does.</summary>
    public bool Excludes(PeerState peer, RoutePath path)
    {
        var source = path.Source;
        if (source.IsLocal)
        {
            return false;
        }
        return source.PeerAddress.Equals(peer.Options.Address)
            || (source.IsInternal && Target.IsInternal && path.Attributes.OriginatorId == peer.Target!.PeerRouterId);
    }

    /// <summary>The members <see cref="Excludes"/> holds for <paramref name="path"/> (at most a few), added to <paramref name="into"/>.</summary>
    public void AddExcluded(RoutePath path, List<PeerState> into)
    {
        var source = path.Source;
        if (source.IsLocal)
        {
            return;
        }
        if (_byAddress.TryGetValue(source.PeerAddress, out var from) && !into.Contains(from))
        {
            into.Add(from);
        }
        if (source.IsInternal && Target.IsInternal && path.Attributes.OriginatorId is { } originator && _byRouterId.TryGetValue(originator, out var named))
        {
            foreach (var peer in named)
            {
                if (!into.Contains(peer))
                {
                    into.Add(peer);
                }
            }
        }
    }

    /// <summary>Entries sent to <paramref name="peer"/>: those that do not exclude it.</summary>
    public int CountFor(PeerState peer)
    {
        var count = 0;
        foreach (var (_, entry) in _entries)
        {
            if (!Excludes(peer, entry.Path))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>An entry of the group's Adj-RIB-Out.</summary>
    public readonly record struct Advertised(PathAttributes Attributes, RoutePath Path);

    /// <summary>The prefixes advertised with one attribute set, and their paths beside them.</summary>
    public sealed class TablePart(PathAttributes attributes)
    {
        public PathAttributes Attributes { get; } = attributes;

        public List<RibPrefix> Prefixes { get; } = [];

        public List<RoutePath> Paths { get; } = [];
    }

    /// <summary>
    /// The group's entries by attribute set, in the order the sets first appeared, and their
    /// UPDATEs encoded back to back for the parts up to <see cref="EncodedRun.Count"/>: a part
    /// added later is appended to the run, a part that changed makes the run start over.
    /// </summary>
    public sealed class GroupedTable
    {
        private readonly Dictionary<PathAttributes, int> _index = [];

        public List<TablePart> Parts { get; } = [];

        /// <summary>The UPDATEs of the first <see cref="EncodedRun.Count"/> parts; null until a member needs them.</summary>
        public EncodedRun? Encoded { get; set; }

        public void Add(RibPrefix prefix, Advertised entry)
        {
            if (!_index.TryGetValue(entry.Attributes, out var at))
            {
                _index.Add(entry.Attributes, at = Parts.Count);
                Parts.Add(new TablePart(entry.Attributes));
            }
            var part = Parts[at];
            part.Prefixes.Add(prefix);
            part.Paths.Add(entry.Path);
            if (Encoded is not null && at < Encoded.Count)
            {
                Encoded = null;   // that part's UPDATEs now carry one more prefix
            }
        }
    }
}

/// <summary>
/// Everything that decides what a peer receives except which peer it is (<see cref="ExportTarget"/>
/// without its address and router id), plus how it is encoded: peers with equal keys share an <see cref="ExportGroup"/>.
/// </summary>
internal readonly record struct ExportGroupKey(
    uint LocalAs,
    bool IsInternal,
    bool IsRouteReflectorClient,
    ExportPolicy Policy,
    IPAddress? NextHopV4,
    IPAddress? NextHopV6,
    BgpCodecContext Codec,
    bool Ipv4,
    bool Ipv6)
{
    public static ExportGroupKey Of(ExportTarget target, BgpCodecContext codec, IReadOnlyList<RouteFamily> families) => new(
        target.LocalAs,
        target.IsInternal,
        target.IsRouteReflectorClient,
        target.Policy,
        target.NextHopV4,
        target.NextHopV6,
        codec,
        families.Contains(RouteFamily.Ipv4Unicast),
        families.Contains(RouteFamily.Ipv6Unicast));

    public bool Has(RibPrefix prefix) => prefix.IsIPv6 ? Ipv6 : Ipv4;
}
