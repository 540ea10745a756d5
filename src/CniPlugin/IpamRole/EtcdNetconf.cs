using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// The etcd TLS and auth settings of the network config (top-level keys, as "datastore"):
/// etcdCaCertFile, etcdCertFile, etcdKeyFile, etcdUsername, etcdPassword; each key missing falls
/// back to its ROUTEDNET_ETCD_* variable in the runtime's environment. A conflist holding a
/// password must be readable by root only.
/// </summary>
internal static class EtcdNetconf
{
    public static EtcdSecurity From(NetworkConfig config, Func<string, string?> getVariable, DatastoreUrl url)
    {
        var env = EtcdSecurity.FromEnvironment(getVariable);
        var settings = new EtcdSecurity
        {
            CaCertFile = Key(config, "etcdCaCertFile") ?? env.CaCertFile,
            CertFile = Key(config, "etcdCertFile") ?? env.CertFile,
            KeyFile = Key(config, "etcdKeyFile") ?? env.KeyFile,
            Username = Key(config, "etcdUsername") ?? env.Username,
            Password = Key(config, "etcdPassword") ?? env.Password,
        };
        try
        {
            settings.Validate(url);
        }
        catch (ArgumentException e)
        {
            throw NetworkConfig.Invalid(e.Message);
        }
        return settings;
    }

    private static string? Key(NetworkConfig config, string key) => config.OptionalString(key) is { Length: > 0 } value ? value : null;
}
