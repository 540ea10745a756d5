using System.Text.Json.Nodes;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests.IpamRole;

/// <summary>Issue 13 item 15: CHECK compares the addresses IPAM holds for the attachment with those in prevResult.</summary>
public sealed class IpamRoleCheckTests
{
    private static (string Key, JsonNode? Value) PrevResult(params string[] addresses) =>
        ("prevResult", new JsonObject
        {
            ["cniVersion"] = "1.1.0",
            ["ips"] = new JsonArray([.. addresses.Select(a => (JsonNode)new JsonObject { ["address"] = a })]),
        });

    [Fact]
    public async Task Check_PrevResultListsTheHeldAddress_Passes()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        var held = ipam.Add(ipam.Config("k8s", "n1"), "c1").Single();

        // An address outside every pool came from another plugin of the chain: not IPAM's to judge.
        var (exit, output) = ipam.Run("CHECK", ipam.Config("k8s", "n1", PrevResult(held, "192.168.7.7/24")), "c1");

        Assert.True(exit == 0, output.ToString());
    }

    [Fact]
    public async Task Check_PrevResultHasAnotherPoolAddress_FailsNamingBoth()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        var held = ipam.Add(ipam.Config("k8s", "n1"), "c1").Single();
        var other = ipam.Add(ipam.Config("k8s", "n1"), "c2").Single();

        var (exit, output) = ipam.Run("CHECK", ipam.Config("k8s", "n1", PrevResult(other)), "c1");

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.CheckFailed, output.GetProperty("code").GetInt32());
        var message = output.GetProperty("msg").GetString()!;
        Assert.Contains($"{held.Split('/')[0]} is allocated to k8s.c1.eth0 but prevResult does not list it", message, StringComparison.Ordinal);
        Assert.Contains($"prevResult lists {other.Split('/')[0]} but IPAM does not hold it for k8s.c1.eth0 (handle k8s.c2.eth0 holds it)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PrevResultWithoutTheHeldAddress_Fails()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();
        var held = ipam.Add(ipam.Config("k8s", "n1"), "c1").Single();

        var (exit, output) = ipam.Run("CHECK", ipam.Config("k8s", "n1", PrevResult()), "c1");

        Assert.NotEqual(0, exit);
        Assert.Contains($"{held.Split('/')[0]} is allocated to k8s.c1.eth0", output.GetProperty("msg").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NothingAllocated_Fails()
    {
        await using var ipam = await IpamRoleHarness.CreateAsync();

        var (exit, output) = ipam.Run("CHECK", ipam.Config("k8s", "n1", PrevResult("10.244.0.5/32")), "c1");

        Assert.NotEqual(0, exit);
        Assert.Equal(CniErrorCode.CheckFailed, output.GetProperty("code").GetInt32());
    }
}
