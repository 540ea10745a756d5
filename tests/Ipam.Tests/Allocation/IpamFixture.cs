using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Allocation;

namespace RoutedNet.Ipam.Tests.Allocation;

/// <summary>Seeds pools, nodes and settings into a store and builds requests, for the IPAM tests.</summary>
internal static class IpamFixture
{
    public static Task<IPPool> AddPoolAsync(IStore store, string name, string cidr, int? blockSize = null, string? selector = null, bool disabled = false) =>
        store.CreateAsync(new IPPool
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize, NodeSelector = selector, Disabled = disabled },
        });

    public static Task<Node> AddNodeAsync(IStore store, string name, params (string Key, string Value)[] labels) =>
        store.CreateAsync(new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        });

    public static AllocationRequest V4(string handle, string node, int count = 1) => new()
    {
        HandleId = handle,
        Node = node,
        IPv4Count = count,
        Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = node, [AttributeKeys.Pod] = handle },
    };

    public static IPAddress Ip(string text) => IPAddress.Parse(text);
}
