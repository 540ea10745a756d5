namespace RoutedNet.Datastore.Resources;

public sealed record IPPoolSpec
{
    /// <summary>Default block prefix length for IPv4 pools: each node announces a /24.</summary>
    public const int DefaultIPv4BlockSize = 24;

    /// <summary>Default block prefix length for IPv6 pools.</summary>
    public const int DefaultIPv6BlockSize = 122;

    /// <summary>The pool's range, e.g. <c>10.244.0.0/16</c> or <c>fd00:244::/56</c>.</summary>
    public string Cidr { get; init => field = value ?? ""; } = "";

    /// <summary>Prefix length of the blocks; null means the family default (24 / 122).</summary>
    public int? BlockSize { get; init; }

    /// <summary>Label selector of the nodes that may use this pool (<c>all()</c>, <c>rack == "r1"</c>).</summary>
    public string? NodeSelector { get; init; }

    /// <summary>A disabled pool hands out no new addresses; existing ones stay.</summary>
    public bool Disabled { get; init; }

    /// <summary>The block size in force: <see cref="BlockSize"/> or the default for the pool's family.</summary>
    public int EffectiveBlockSize() =>
        BlockSize ?? (Cidr.Contains(':', StringComparison.Ordinal) ? DefaultIPv6BlockSize : DefaultIPv4BlockSize);
}
