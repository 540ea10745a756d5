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
    private List<TablePart>? _table;

    /// <summary>Per prefix, the attributes advertised and the path they came from.</summary>
    public IEnumerable<KeyValuePair<RibPrefix, Advertised>> Entries => _entries;

    public bool TryGet(RibPrefix prefix, out Advertised entry) => _entries.TryGetValue(prefix, out entry);

    public void Set(RibPrefix prefix, Advertised entry)
    {
        _entries.GetValueRefOrAddDefault(prefix, out _) = entry;
        ForgetTable();
    }

    public void Remove(RibPrefix prefix)
    {
        if (_entries.Remove(prefix))
        {
            ForgetTable();
        }
    }

    /// <summary>The UPDATEs of <see cref="Table"/>, part by part, once a member has needed them; dropped with it.</summary>
    public EncodedRun? EncodedTable { get; set; }

    /// <summary>
    /// The entries grouped by attributes, for the members that join: a reflector's clients
    /// connect by the hundred between two changes, and each took its table as a thousand groups of
    /// its own. Kept until an entry changes or <see cref="ForgetTable"/>.
    /// </summary>
    public List<TablePart> Table()
    {
        if (_table is not null)
        {
            return _table;
        }
        var parts = new Dictionary<PathAttributes, TablePart>();
        foreach (var (prefix, entry) in _entries)
        {
            if (!parts.TryGetValue(entry.Attributes, out var part))
            {
                parts.Add(entry.Attributes, part = new TablePart(entry.Attributes));
            }
            part.Prefixes.Add(prefix);
            part.Paths.Add(entry.Path);
        }
        return _table = [.. parts.Values];
    }

    /// <summary>Drops the grouped table (end of a loop round): a full table's would otherwise stay beside the entries.</summary>
    public void ForgetTable()
    {
        _table = null;
        EncodedTable = null;
    }

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
