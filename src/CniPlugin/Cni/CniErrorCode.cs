namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// Error codes of the CNI spec ("Error" section; 0-99 reserved by the spec) and RoutedNet's own,
/// which the spec puts at 100 and above.
/// </summary>
internal static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int ContainerUnknown = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodingFailure = 6;
    public const int InvalidNetworkConfig = 7;
    public const int TryAgainLater = 11;
    public const int PluginNotAvailable = 50;
    public const int LimitedConnectivity = 51;

    /// <summary>The interface name asked for is already taken inside the pod's namespace.</summary>
    public const int InterfaceExists = 100;

    /// <summary>The node already routes the pod's address to another interface.</summary>
    public const int RouteConflict = 101;

    /// <summary>The kernel refused a change (the message carries the operation and errno).</summary>
    public const int KernelError = 102;

    /// <summary>CHECK found the attachment different from what ADD made.</summary>
    public const int CheckFailed = 103;

    /// <summary>A delegated plugin (IPAM) could not be run or answered something unreadable.</summary>
    public const int DelegateFailed = 104;
}
