using System.Globalization;
using System.Net.Sockets;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// `routednet-ipam`: the CNI IPAM plugin over the cluster datastore. One handle per attachment,
/// <c>NETWORK.CONTAINERID.IFNAME</c>, holds all of its addresses, so DEL and GC release both
/// families together. The CNI protocol runs synchronously; each verb blocks on the async client
/// once (no synchronization context in a console process).
/// </summary>
internal sealed class IpamRolePlugin : ICniPlugin
{
    private readonly Func<string, string?> _getVariable;

    public IpamRolePlugin(Func<string, string?> getVariable) => _getVariable = getVariable;

    public static string HandleId(string network, string containerId, string ifName) => $"{network}.{containerId}.{ifName}";

    public CniResult Add(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var settings = IpamRoleConfig.From(config);
        var requested = IpamRoleConfig.RequestedAddresses(request);
        if (!settings.AssignIPv4 && !settings.AssignIPv6 && requested.Count == 0)
        {
            throw NetworkConfig.Invalid("ipam: assignIPv4 and assignIPv6 are both false and no address was requested");
        }
        var allocated = WithClient(config, (client, store, node) => client.AllocateAsync(new AllocationRequest
        {
            HandleId = HandleId(config.Name, env.ContainerId, env.IfName),
            Node = node,
            IPv4Count = settings.AssignIPv4 ? 1 : 0,
            IPv6Count = settings.AssignIPv6 ? 1 : 0,
            Pools = settings.Pools,
            Addresses = requested,
            Reserved = settings.Reserved,
            Attributes = new Dictionary<string, string>
            {
                [AttributeKeys.Node] = node,
                [AttributeKeys.ContainerId] = env.ContainerId,
                [AttributeKeys.Interface] = env.IfName,
                [AttributeKeys.Namespace] = env.Args.PodNamespace ?? "",
                [AttributeKeys.Pod] = env.Args.PodName ?? "",
            },
        }));
        return new CniResult
        {
            CniVersion = config.CniVersion,
            // Pods hold their address as a host route (/32, /128): the node routes each one.
            Ips = allocated.Select(a => new CniIpConfig
            {
                Address = $"{a.Address}/{(a.Address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128).ToString(CultureInfo.InvariantCulture)}",
            }).ToList(),
        };
    }

    public void Del(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        WithClient(config, (client, _, _) => client.ReleaseHandleAsync(HandleId(config.Name, env.ContainerId, env.IfName)));
    }

    public void Check(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var handleId = HandleId(config.Name, env.ContainerId, env.IfName);
        var handle = WithClient(config, (_, store, _) => store.TryGetAsync<IPAMHandle>(handleId));
        if (handle is null || handle.Spec.Block.Count == 0)
        {
            throw new CniException(CniErrorCode.CheckFailed, $"no addresses are allocated to {handleId}");
        }
    }

    public void Status(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = IpamRoleConfig.From(config);
        try
        {
            var free = WithClient(config, async (client, _, node) =>
                (!settings.AssignIPv4 || await client.HasFreeAddressAsync(node, settings.Pools, AddressFamily.InterNetwork).ConfigureAwait(false))
                && (!settings.AssignIPv6 || await client.HasFreeAddressAsync(node, settings.Pools, AddressFamily.InterNetworkV6).ConfigureAwait(false)));
            if (!free)
            {
                throw new CniException(CniErrorCode.PluginNotAvailable, "no IP pool has a free address for this node");
            }
        }
        catch (CniException e) when (e.Code == CniErrorCode.TryAgainLater)
        {
            // Spec STATUS: 50 means "the plugin is not available", which an unreachable datastore is.
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details, e);
        }
    }

    public void Gc(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = IpamRoleConfig.From(config);
        var live = (config.ValidAttachments ?? [])
            .Select(a => HandleId(config.Name, a.ContainerId, a.IfName))
            .ToHashSet(StringComparer.Ordinal);
        WithClient(config, (client, _, _) => client.GcAsync(live, settings.GcGracePeriod, config.Name + "."));
    }

    private T WithClient<T>(NetworkConfig config, Func<IpamClient, IStore, string, Task<T>> action)
    {
        var datastore = DatastoreSettings.From(config, _getVariable);
        try
        {
            return RunAsync(datastore, action).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not CniException)
        {
            throw IpamErrors.From(e);
        }
    }

    private static async Task<T> RunAsync<T>(DatastoreSettings datastore, Func<IpamClient, IStore, string, Task<T>> action)
    {
        var store = await StoreFactory.OpenAsync(datastore.Url, datastore.Etcd).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            return await action(new IpamClient(store), store, datastore.NodeName).ConfigureAwait(false);
        }
    }
}
