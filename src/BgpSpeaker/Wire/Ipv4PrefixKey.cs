namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// An IPv4 prefix in 8 bytes instead of a <see cref="BgpPrefix"/>'s 24: the key of
/// <see cref="PrefixTable{TValue}"/>'s IPv4 half, where a full table's million entries are 16 bytes
/// smaller each. Hashes exactly as the prefix it stands for (<see cref="BgpPrefix.Ipv4HashCode"/>).
/// </summary>
internal readonly struct Ipv4PrefixKey(uint address, byte length) : IEquatable<Ipv4PrefixKey>
{
    private readonly uint _address = address;
    private readonly byte _length = length;

    public static Ipv4PrefixKey Of(BgpPrefix prefix) => new(prefix.Ipv4Address, (byte)prefix.Length);

    public BgpPrefix Prefix => BgpPrefix.FromIpv4(_address, _length);

    public bool Equals(Ipv4PrefixKey other) => _address == other._address && _length == other._length;

    public override bool Equals(object? obj) => obj is Ipv4PrefixKey other && Equals(other);

    public override int GetHashCode() => BgpPrefix.Ipv4HashCode(_address, _length);

    public static bool operator ==(Ipv4PrefixKey left, Ipv4PrefixKey right) => left.Equals(right);

    public static bool operator !=(Ipv4PrefixKey left, Ipv4PrefixKey right) => !left.Equals(right);
}
