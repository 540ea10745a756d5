namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>An address family pair as carried in capabilities, MP_REACH/MP_UNREACH and ROUTE-REFRESH.</summary>
public readonly record struct AfiSafi(Afi Afi, Safi Safi)
{
    public static AfiSafi Ipv4Unicast => new(Afi.Ipv4, Safi.Unicast);

    public static AfiSafi Ipv6Unicast => new(Afi.Ipv6, Safi.Unicast);

    /// <summary>The two families whose NLRI this codec decodes into <see cref="BgpPrefix"/> values.</summary>
    public bool IsSupportedUnicast => Safi == Safi.Unicast && Afi is Afi.Ipv4 or Afi.Ipv6;

    public override string ToString() => $"{(ushort)Afi}/{(byte)Safi}";
}
