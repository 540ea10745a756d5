using System.Net;
using System.Text.Json;
using RoutedNet.Felix.Kubernetes;

namespace RoutedNet.Felix.Tests.Kubernetes;

public sealed class CoreNodeAddressesTests
{
    [Fact]
    public void InternalIps_NodeAsKubeletRegistersIt_OnlyInternalIpsInOrder()
    {
        var node = JsonDocument.Parse("""
            {"metadata":{"name":"n1"},"status":{"addresses":[
              {"type":"Hostname","address":"n1"},{"type":"InternalIP","address":"172.18.0.11"},
              {"type":"ExternalIP","address":"203.0.113.5"},{"type":"InternalIP","address":"fd00:18::11"}]}}
            """).RootElement;

        Assert.Equal([IPAddress.Parse("172.18.0.11"), IPAddress.Parse("fd00:18::11")], CoreNodeAddresses.InternalIps(node));
    }

    [Fact]
    public void InternalIps_NoStatusYet_None()
    {
        Assert.Empty(CoreNodeAddresses.InternalIps(JsonDocument.Parse("""{"metadata":{"name":"n1"}}""").RootElement));
    }
}
