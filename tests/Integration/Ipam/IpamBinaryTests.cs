using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Integration.Ipam;

/// <summary>
/// The published `routednet-ipam` binary without a reachable datastore. The allocation scenarios
/// (parallel ADDs, borrowing, strict affinity, kill -9) run against sqlite and a real etcd in
/// tests/Interop/Ipam.
/// </summary>
public sealed class IpamBinaryTests
{
    [Fact]
    public async Task Status_DatastoreUnreachable_Code50()
    {
        const string Config = """{"cniVersion":"1.1.0","name":"net1","type":"routednet","datastore":"etcd://127.0.0.1:1","nodeName":"n1","ipam":{"type":"routednet-ipam"}}""";

        var result = await Proc.RunAsync(RepoPaths.Binary("routednet-ipam"), [], Config, new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "STATUS",
            ["CNI_PATH"] = RepoPaths.OutBin,
        });

        Assert.Equal(50, JsonDocument.Parse(result.Stdout).RootElement.GetProperty("code").GetInt32());
    }
}
