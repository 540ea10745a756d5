using System.Net;

namespace RoutedNet.Netlink;

/// <summary>
/// An interface address (`ip addr`): <see cref="Ip"/>/<see cref="PrefixLength"/> on link
/// <see cref="LinkIndex"/>. Add pod addresses with <see cref="AddressFlags.NoDad"/> so IPv6 is usable
/// at once instead of after duplicate address detection.
/// </summary>
public sealed record Address
{
    public required int LinkIndex { get; init; }

    public required IPAddress Ip { get; init; }

    public required int PrefixLength { get; init; }

    public AddressFlags Flags { get; init; }

    /// <summary>Scope (universe for ordinary addresses, link for fe80::/10, host for 127/8).</summary>
    public RouteScope Scope { get; init; } = RouteScope.Universe;

    /// <summary>IFA_LABEL (IPv4 only, e.g. "eth0:1"); null when none.</summary>
    public string? Label { get; init; }

    public override string ToString() => $"{Ip}/{PrefixLength}";
}
