using System.Text;
using System.Text.Json;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>`routednet-ipam` through the CNI runner against a real sqlite file: what a runtime reads on stdout and as the exit code.</summary>
public sealed class IpamRoleErrorTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"rnt-ipamrole-{Guid.NewGuid():N}.db");

    private string Url => "sqlite://" + _path;

    public async Task InitializeAsync()
    {
        await using var store = await StoreFactory.OpenAsync(Url);
        await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "p1" }, Spec = new IPPoolSpec { Cidr = "10.250.0.0/24", BlockSize = 24 } });
    }

    public Task DisposeAsync()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-writers", ".corrupt" })
        {
            File.Delete(_path + suffix);
        }
        return Task.CompletedTask;
    }

    private (int Exit, JsonElement Output) Run(string ipam, string containerId = "c1", string? cniArgs = null, string? datastore = null, string command = "ADD")
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_NETNS"] = "/proc/self/ns/net",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/opt/cni/bin",
            ["NODENAME"] = "n1",
        };
        if (cniArgs is not null)
        {
            env["CNI_ARGS"] = cniArgs;
        }
        var config = $$$"""{"cniVersion":"1.1.0","name":"net1","type":"routednet","datastore":"{{{datastore ?? Url}}}","ipam":{{{ipam}}}}""";
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(config));
        using var output = new MemoryStream();
        var exit = CniRunner.Run(new IpamRolePlugin(k => env.GetValueOrDefault(k)), k => env.GetValueOrDefault(k), input, output, Stream.Null);
        var text = Encoding.UTF8.GetString(output.ToArray());
        return (exit, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    private const string Plain = """{"type":"routednet-ipam"}""";

    [Fact]
    public void Add_PoolWithRoom_HostRouteAddressFromPool()
    {
        var (exit, output) = Run(Plain);

        Assert.Equal(0, exit);
        var address = output.GetProperty("ips")[0].GetProperty("address").GetString()!;
        Assert.StartsWith("10.250.0.", address, StringComparison.Ordinal);
        Assert.EndsWith("/32", address, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"routednet-ipam","pools":"p1"}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"type":"routednet-ipam","pools":["nope"]}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"type":"routednet-ipam","assignIPv4":false}""", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("""{"type":"routednet-ipam","assignIPv4":false,"assignIPv6":true}""", CniErrorCode.InvalidNetworkConfig)]
    public void Add_BadOrUnsatisfiableConfig_ErrorJsonCode(string ipam, int code)
    {
        var (exit, output) = Run(ipam);

        Assert.NotEqual(0, exit);
        Assert.Equal(code, output.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(output.GetProperty("msg").GetString()));
    }

    [Fact]
    public void Add_RequestedAddressHeldOrOutsidePools_Codes110And111()
    {
        Assert.Equal(0, Run(Plain, "c1", "IP=10.250.0.9").Exit);

        var held = Run(Plain, "c2", "IP=10.250.0.9").Output;
        var outside = Run(Plain, "c3", "IP=10.99.0.1").Output;

        Assert.Equal(IpamErrors.AddressInUse, held.GetProperty("code").GetInt32());
        Assert.Equal(IpamErrors.AddressNotAvailable, outside.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("mysql://db", CniErrorCode.InvalidNetworkConfig)]
    [InlineData("etcd://127.0.0.1:1", CniErrorCode.TryAgainLater)]
    public void Add_BadOrUnreachableDatastore_ErrorJsonCode(string datastore, int code)
    {
        var (exit, output) = Run(Plain, datastore: datastore);

        Assert.NotEqual(0, exit);
        Assert.Equal(code, output.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    public void Command_CorruptSqliteFile_PermanentErrorNotTryAgainLater(string command)
    {
        File.WriteAllBytes(_path + ".corrupt", Enumerable.Range(0, 8192).Select(i => (byte)(i * 7)).ToArray());

        var (exit, output) = Run(Plain, datastore: "sqlite://" + _path + ".corrupt", command: command);

        Assert.NotEqual(0, exit);
        Assert.Equal(IpamErrors.DatastoreUnusable, output.GetProperty("code").GetInt32());
        Assert.Contains("damaged", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Del_UnknownContainer_SucceedsSilently()
    {
        var (exit, _) = Run(Plain, "never-added", command: "DEL");

        Assert.Equal(0, exit);
    }
}
