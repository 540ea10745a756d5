using Grpc.Core;
using RoutedNet.Datastore;
using RoutedNet.Ipam;

namespace RoutedNet.Felix.Cni;

/// <summary>IPAM and datastore failures as the plugin reports them (the same codes as its direct path: CniPlugin's IpamErrors).</summary>
public static class CniErrors
{
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;
    public const int AddressInUse = 110;
    public const int AddressNotAvailable = 111;
    public const int DatastoreUnusable = 112;
    public const int IoFailure = 5;

    public static CniAgentException Invalid(string message) => new((int)StatusCode.InvalidArgument, InvalidNetworkConfig, message);

    public static CniAgentException Unimplemented(string message) => new((int)StatusCode.Unimplemented, TryAgainLater, message);

    /// <summary>The failure, or null when it is not one of the expected kinds (a bug: logged, then reported as an I/O failure).</summary>
    public static CniAgentException? From(Exception e) => e switch
    {
        CniAgentException cni => cni,
        IpamException { Code: IpamErrorCode.NoAddressAvailable or IpamErrorCode.TooManyConflicts } ipam => new((int)StatusCode.ResourceExhausted, TryAgainLater, ipam.Message, e),
        IpamException { Code: IpamErrorCode.AddressInUse } ipam => new((int)StatusCode.AlreadyExists, AddressInUse, ipam.Message, e),
        IpamException { Code: IpamErrorCode.AddressNotAvailable } ipam => new((int)StatusCode.FailedPrecondition, AddressNotAvailable, ipam.Message, e),
        IpamException ipam => new((int)StatusCode.InvalidArgument, InvalidNetworkConfig, ipam.Message, e),
        DatastoreUnusableException unusable => new((int)StatusCode.Internal, DatastoreUnusable, unusable.Message, e),
        DatastoreUnavailableException unavailable => new((int)StatusCode.Unavailable, TryAgainLater, $"datastore unreachable: {unavailable.Message}", e),
        ResourceValidationException invalid => new((int)StatusCode.InvalidArgument, InvalidNetworkConfig, invalid.Message, e),
        _ => null,
    };
}
