using System.Net;

namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// A prefix and the lengths accepted under it, like "10.244.0.0/16 le 26": matches a route whose
/// prefix lies inside <see cref="Network"/> with a length from <see cref="MinLength"/> to <see cref="MaxLength"/>.
/// </summary>
public readonly record struct PrefixRange
{
    public IPNetwork Network { get; }

    public int MinLength { get; }

    public int MaxLength { get; }

    public PrefixRange(IPNetwork network, int? minLength = null, int? maxLength = null)
    {
        var bits = network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        MinLength = minLength ?? network.PrefixLength;
        MaxLength = maxLength ?? bits;
        if (MinLength < network.PrefixLength || MaxLength < MinLength || MaxLength > bits)
        {
            throw new ArgumentOutOfRangeException(
                nameof(minLength), $"{network}: lengths {MinLength}..{MaxLength} must lie within {network.PrefixLength}..{bits}");
        }
        Network = network;
        _prefix = RibPrefix.FromIPNetwork(network);
    }

    private readonly RibPrefix _prefix;

    /// <summary>Parses "10.244.0.0/16" (exactly that length up to the host length) or "10.244.0.0/16 le 26" / "ge 24 le 26".</summary>
    public static PrefixRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var network = IPNetwork.Parse(parts[0]);
        int? ge = null, le = null;
        for (var i = 1; i + 1 < parts.Length; i += 2)
        {
            var value = int.Parse(parts[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            switch (parts[i])
            {
                case "ge": ge = value; break;
                case "le": le = value; break;
                default: throw new FormatException($"'{text}': expected 'ge N' or 'le N' after the prefix");
            }
        }
        return new PrefixRange(network, ge, le);
    }

    public bool Matches(RibPrefix prefix) =>
        prefix.Length >= MinLength && prefix.Length <= MaxLength && _prefix.Contains(prefix);

    public override string ToString() => $"{Network} ge {MinLength} le {MaxLength}";
}
