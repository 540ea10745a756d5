using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// Where both roles find the datastore and which node they run on: the network config's
/// top-level "datastore", else ROUTEDNET_DATASTORE, else the default URL; the node name as
/// <see cref="AgentNodeName"/> resolves it, and only when a verb asks for it (DEL and CHECK never
/// need it, so they never fail over it).
/// </summary>
internal sealed class DatastoreSettings
{
    public const string NodeNameVariable = AgentNodeName.NodeNameVariable;

    private readonly Lazy<string> _nodeName;

    private DatastoreSettings(DatastoreUrl url, bool isExplicit, Func<string> nodeName)
    {
        Url = url;
        Explicit = isExplicit;
        _nodeName = new Lazy<string>(nodeName, LazyThreadSafetyMode.None);
    }

    public DatastoreUrl Url { get; }

    /// <summary>Whether the config or the environment names a datastore.</summary>
    public bool Explicit { get; }

    public string NodeName => _nodeName.Value;

    /// <summary>TLS and auth for an etcd datastore (netconf keys etcdCaCertFile ..., else the ROUTEDNET_ETCD_* variables).</summary>
    public EtcdSecurity Etcd { get; init; } = EtcdSecurity.None;

    /// <summary>Whether the config or the environment names a datastore (else the default is used, and `routednet` records nothing).</summary>
    public static bool IsExplicit(NetworkConfig config, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getVariable);
        return !string.IsNullOrWhiteSpace(config.OptionalString("datastore")) || !string.IsNullOrWhiteSpace(getVariable(DatastoreUrl.EnvironmentVariable));
    }

    public static DatastoreSettings From(NetworkConfig config, Func<string, string?> getVariable, Func<string, string?>? readFile = null)
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
        return new DatastoreSettings(url, IsExplicit(config, getVariable), () => AgentNodeName.Resolve(config, getVariable, readFile ?? AgentNodeName.ReadFile)) { Etcd = EtcdNetconf.From(config, getVariable, url) };
    }
}
