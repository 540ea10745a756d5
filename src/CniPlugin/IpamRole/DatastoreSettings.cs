using System.Net;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// Where both roles find the datastore and which node they run on (issue 3): the network
/// config's top-level "datastore", else ROUTEDNET_DATASTORE, else the default URL; "nodeName",
/// else NODENAME, else the host name.
/// </summary>
internal sealed record DatastoreSettings(DatastoreUrl Url, string NodeName, bool Explicit)
{
    /// <summary>TLS and auth for an etcd datastore (netconf keys etcdCaCertFile ..., else the ROUTEDNET_ETCD_* variables).</summary>
    public EtcdSecurity Etcd { get; init; } = EtcdSecurity.None;

    public const string NodeNameVariable = "NODENAME";

    /// <summary>Whether the config or the environment names a datastore (else the default is used, and `routednet` records nothing).</summary>
    public static bool IsExplicit(NetworkConfig config, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getVariable);
        return !string.IsNullOrWhiteSpace(config.OptionalString("datastore")) || !string.IsNullOrWhiteSpace(getVariable(DatastoreUrl.EnvironmentVariable));
    }

    public static DatastoreSettings From(NetworkConfig config, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getVariable);
        var configured = config.OptionalString("datastore");
        var fromEnv = getVariable(DatastoreUrl.EnvironmentVariable);
        var text = !string.IsNullOrWhiteSpace(configured) ? configured
            : !string.IsNullOrWhiteSpace(fromEnv) ? fromEnv
            : DatastoreUrl.Default;
        DatastoreUrl url;
        try
        {
            url = DatastoreUrl.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw NetworkConfig.Invalid($"datastore: {e.Message}");
        }
        var node = config.OptionalString("nodeName") is { Length: > 0 } n ? n
            : getVariable(NodeNameVariable) is { Length: > 0 } env ? env
            : Dns.GetHostName();
        return new DatastoreSettings(url, node, IsExplicit(config, getVariable)) { Etcd = EtcdNetconf.From(config, getVariable, url) };
    }
}
