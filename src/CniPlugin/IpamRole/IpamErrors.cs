using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;
using RoutedNet.Ipam;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>Turns IPAM and datastore failures into the spec's error codes (RoutedNet's own from 110).</summary>
internal static class IpamErrors
{
    /// <summary>A requested address is held by another attachment.</summary>
    public const int AddressInUse = 110;

    /// <summary>A requested address is outside every pool or reserved.</summary>
    public const int AddressNotAvailable = 111;

    /// <summary>
    /// The datastore cannot be used as it is (a damaged sqlite file, a newer schema): permanent,
    /// unlike 11, which a runtime retries forever.
    /// </summary>
    public const int DatastoreUnusable = 112;

    public static CniException From(Exception e) => e switch
    {
        CniException cni => cni,
        IpamException { Code: IpamErrorCode.NoAddressAvailable or IpamErrorCode.TooManyConflicts } ipam => new(CniErrorCode.TryAgainLater, ipam.Message),
        IpamException { Code: IpamErrorCode.AddressInUse } ipam => new(AddressInUse, ipam.Message),
        IpamException { Code: IpamErrorCode.AddressNotAvailable } ipam => new(AddressNotAvailable, ipam.Message),
        IpamException ipam => new(CniErrorCode.InvalidNetworkConfig, ipam.Message),
        DatastoreUnusableException unusable => new(DatastoreUnusable, unusable.Message),
        DatastoreUnavailableException unavailable => new(CniErrorCode.TryAgainLater, $"datastore unreachable: {unavailable.Message}"),
        ResourceValidationException invalid => new(CniErrorCode.InvalidNetworkConfig, invalid.Message),
        ArgumentException settings => new(CniErrorCode.InvalidNetworkConfig, settings.Message), // e.g. an etcd TLS file that cannot be read
        _ => new(CniErrorCode.IoFailure, e.Message, e.ToString(), e),
    };
}
