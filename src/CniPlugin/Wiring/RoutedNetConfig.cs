using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// The `routednet` entry of a conflist (DESIGN.md "Contracts"): "mtu" for both veth ends, an
/// "ipam" section (required: the address comes from the delegated plugin), and "dataDir" for the
/// attachment records (default /var/lib/cni/routednet).
/// </summary>
internal sealed record RoutedNetConfig
{
    public const string DefaultDataDir = "/var/lib/cni/routednet";

    public required string IpamType { get; init; }

    /// <summary>Null: the kernel's default (1500).</summary>
    public int? Mtu { get; init; }

    public required string DataDir { get; init; }

    public static RoutedNetConfig From(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dataDir = config.OptionalString("dataDir") ?? DefaultDataDir;
        if (!Path.IsPathFullyQualified(dataDir))
        {
            throw NetworkConfig.Invalid($"\"dataDir\" '{dataDir}' must be an absolute path");
        }
        return new RoutedNetConfig
        {
            IpamType = config.IpamType ?? throw NetworkConfig.Invalid("\"ipam\" with a \"type\" is required: routednet delegates addresses to an IPAM plugin"),
            Mtu = config.OptionalInt("mtu", 68, 65535),
            DataDir = dataDir,
        };
    }
}
