using System.Text;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>The plugin opens an etcd datastore with the same TLS and auth settings as the agent: netconf keys, else the ROUTEDNET_ETCD_* variables.</summary>
public sealed class EtcdNetconfTests
{
    private static EtcdSecurity From(string topLevel, params (string Key, string Value)[] env)
    {
        var config = NetworkConfig.Parse(Encoding.UTF8.GetBytes($$$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet"{{{topLevel}}},"ipam":{"type":"routednet-ipam"}}"""));
        var variables = env.ToDictionary(e => e.Key, e => e.Value);
        return EtcdNetconf.From(config, k => variables.GetValueOrDefault(k), DatastoreUrl.Parse("etcds://10.0.0.1:2379"));
    }

    [Fact]
    public void From_NetconfKeysAndEnvironment_KeysWinEnvironmentFillsIn()
    {
        var security = From(
            ""","etcdCaCertFile":"/etc/rn/ca.pem","etcdCertFile":"/etc/rn/c.pem","etcdKeyFile":"/etc/rn/k.pem","etcdUsername":"cni" """,
            (EtcdSecurity.UsernameVariable, "from-env"), (EtcdSecurity.PasswordVariable, "env-pw"));

        Assert.Equal(new EtcdSecurity { CaCertFile = "/etc/rn/ca.pem", CertFile = "/etc/rn/c.pem", KeyFile = "/etc/rn/k.pem", Username = "cni", Password = "env-pw" }, security);
    }

    [Fact]
    public void From_CertWithoutKey_InvalidNetworkConfig()
    {
        var error = Assert.Throws<CniException>(() => From(""","etcdCertFile":"/etc/rn/c.pem" """));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
    }
}
