using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The sets the rendered rules look up, one per distinct content and family, named from a hash of
/// what defines them so that every rule (and every endpoint's policies) sharing a selector shares
/// its set: s4-/s6- the addresses of the endpoints a selector scope picks (their members change
/// element by element as pods come, go or change labels), n4-/n6- named ports (address . protocol
/// . port of every endpoint that has the name), c4-/c6- CIDR lists (interval sets; a different list
/// is a different set, so they never change in place).
/// </summary>
internal sealed class PolicySets(PolicySnapshot snapshot, SelectorSetCache? cache = null)
{
    private readonly Dictionary<string, DesiredSet> _sets = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, DesiredSet> Sets => _sets;

    /// <summary>
    /// While set, every set asked for is also noted here as a call that asks for it again: a
    /// policy chain rendered once (<see cref="PolicyCalculationCache"/>) replays these on the next
    /// calculation's sets instead of being rendered again.
    /// </summary>
    public List<Action<PolicySets>>? Recording { get; set; }

    /// <summary>
    /// The set of the addresses of <paramref name="family"/> of the endpoints <paramref name="inScope"/>
    /// picks, for the selector scope <paramref name="key"/> (with a cache: only the endpoints that
    /// changed since the last calculation are evaluated).
    /// </summary>
    public string Addresses(AddressFamily family, string key, Func<PolicyEndpoint, bool> inScope)
    {
        var name = Name(family == AddressFamily.InterNetwork ? "s4-" : "s6-", key);
        // Replayed by name: hashing the key again on every calculation was most of a replay's cost.
        Recording?.Add(sets => sets.Addresses(name, family, inScope));
        return Addresses(name, family, inScope);
    }

    private string Addresses(string name, AddressFamily family, Func<PolicyEndpoint, bool> inScope)
    {
        if (!_sets.ContainsKey(name))
        {
            var set = new NftSet(PolicyTable.Name, name, [family == AddressFamily.InterNetwork ? NftDataType.Ipv4Address : NftDataType.Ipv6Address]);
            _sets[name] = cache is not null
                ? cache.Addresses(name, set, family, inScope)
                : DesiredSet.Of(set, snapshot.Endpoints
                    .Where(inScope)
                    .SelectMany(e => e.Addresses)
                    .Where(a => a.AddressFamily == family)
                    .Select(a => new NftSetElement(a.GetAddressBytes())));
        }
        return name;
    }

    /// <summary>The set of (address . protocol . port) of every endpoint's port named <paramref name="portName"/>.</summary>
    public string NamedPort(AddressFamily family, string portName)
    {
        var name = Name(family == AddressFamily.InterNetwork ? "n4-" : "n6-", portName);
        Recording?.Add(sets => sets.NamedPort(name, family, portName));
        return NamedPort(name, family, portName);
    }

    private string NamedPort(string name, AddressFamily family, string portName)
    {
        if (!_sets.ContainsKey(name))
        {
            var address = family == AddressFamily.InterNetwork ? NftDataType.Ipv4Address : NftDataType.Ipv6Address;
            var set = new NftSet(PolicyTable.Name, name, [address, NftDataType.InetProtocol, NftDataType.InetService]);
            var elements = new List<NftSetElement>();
            foreach (var endpoint in snapshot.Endpoints)
            {
                foreach (var port in endpoint.Ports.Where(p => p.Name == portName))
                {
                    foreach (var ip in endpoint.Addresses.Where(a => a.AddressFamily == family))
                    {
                        elements.Add(new NftSetElement(NamedPortKey(ip, port.Protocol, port.Port)));
                    }
                }
            }
            _sets[name] = DesiredSet.Of(set, elements);
        }
        return name;
    }

    /// <summary>An interval set of <paramref name="networks"/> (all of <paramref name="family"/>).</summary>
    public string Networks(AddressFamily family, IReadOnlyList<IPNetwork> networks)
    {
        var key = string.Join(',', networks.Select(n => n.ToString()).Order(StringComparer.Ordinal));
        var name = Name(family == AddressFamily.InterNetwork ? "c4-" : "c6-", key);
        Recording?.Add(sets => sets.Networks(name, family, networks));
        return Networks(name, family, networks);
    }

    private string Networks(string name, AddressFamily family, IReadOnlyList<IPNetwork> networks)
    {
        if (!_sets.ContainsKey(name))
        {
            var set = new NftSet(PolicyTable.Name, name, [family == AddressFamily.InterNetwork ? NftDataType.Ipv4Address : NftDataType.Ipv6Address], IsInterval: true);
            _sets[name] = DesiredSet.Of(set, IntervalElements(networks));
        }
        return name;
    }

    /// <summary>address . protocol . port, each field padded to 4 bytes as the kernel stores a concatenation.</summary>
    public static byte[] NamedPortKey(IPAddress address, int protocol, int port)
    {
        var ip = address.GetAddressBytes();
        var key = new byte[ip.Length + 8];
        ip.CopyTo(key, 0);
        key[ip.Length] = (byte)protocol;
        key[ip.Length + 4] = (byte)(port >> 8);
        key[ip.Length + 5] = (byte)port;
        return key;
    }

    /// <summary>
    /// The elements nft writes for these prefixes in a plain interval set: ranges merged, each a
    /// start and an end-flagged element at the first address past it (none past the last address),
    /// and an end marker at the zero address ahead of a first range that does not start there.
    /// </summary>
    internal static List<NftSetElement> IntervalElements(IReadOnlyList<IPNetwork> networks)
    {
        var ranges = networks
            .Select(n => (Start: ToNumber(n.BaseAddress), End: ToNumber(n.BaseAddress) + (UInt128.One << ((n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - n.PrefixLength)) - UInt128.One))
            .OrderBy(r => r.Start)
            .ToList();
        var merged = new List<(UInt128 Start, UInt128 End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && (range.Start <= merged[^1].End || range.Start - merged[^1].End == UInt128.One))
            {
                merged[^1] = (merged[^1].Start, UInt128.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }
        var length = networks.Count == 0 ? 4 : networks[0].BaseAddress.GetAddressBytes().Length;
        var max = length == 4 ? (UInt128)uint.MaxValue : UInt128.MaxValue;
        var elements = new List<NftSetElement>();
        if (merged.Count > 0 && merged[0].Start != UInt128.Zero)
        {
            elements.Add(new NftSetElement(new byte[length], IsIntervalEnd: true));
        }
        foreach (var (start, end) in merged)
        {
            elements.Add(new NftSetElement(ToBytes(start, length)));
            if (end != max)
            {
                elements.Add(new NftSetElement(ToBytes(end + UInt128.One, length), IsIntervalEnd: true));
            }
        }
        return elements;
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        var value = UInt128.Zero;
        foreach (var b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }
        return value;
    }

    private static byte[] ToBytes(UInt128 value, int length)
    {
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return bytes;
    }

    private static string Name(string prefix, string key) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
}
