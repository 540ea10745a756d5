using System.Globalization;
using System.Net.Sockets;
using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Gc;

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
        var agent = AgentSettings.From(config, _getVariable);
        if (agent.UseAgent)
        {
            using var connection = AgentIpam.Open(agent);
            AgentIpam.SendAllocation(connection, request);
            return AgentIpam.ReceiveAllocation(connection, config.CniVersion).Result;
        }
        var requested = IpamRoleConfig.RequestedAddresses(request);
        if (!settings.AssignIPv4 && !settings.AssignIPv6 && requested.Count == 0)
        {
            throw NetworkConfig.Invalid("ipam: assignIPv4 and assignIPv6 are both false and no address was requested");
        }
        var allocated = WithClient(config, (client, store, datastore) => client.AllocateAsync(new AllocationRequest
        {
            HandleId = HandleId(config.Name, env.ContainerId, env.IfName),
            Node = datastore.NodeName,
            IPv4Count = settings.AssignIPv4 ? 1 : 0,
            IPv6Count = settings.AssignIPv6 ? 1 : 0,
            Pools = settings.Pools,
            Addresses = requested,
            Reserved = settings.Reserved,
            Attributes = new Dictionary<string, string>
            {
                [AttributeKeys.Node] = datastore.NodeName,
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
        var agent = AgentSettings.From(config, _getVariable);
        if (agent.UseAgent)
        {
            // Only the addresses: the endpoint record is the calling plugin's to remove.
            AgentIpam.FinishRelease(agent, request, AgentIpam.StartRelease(agent, request, releaseAddresses: true, unregisterEndpoint: false, deleteHostVeth: false), releaseAddresses: true);
            return;
        }
        WithClient(config, (client, _, _) => client.ReleaseHandleAsync(HandleId(config.Name, env.ContainerId, env.IfName)));
    }

    public void Check(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var prev = config.PrevResult ?? throw NetworkConfig.Invalid("CHECK needs prevResult (the result of ADD)");
        var handleId = HandleId(config.Name, env.ContainerId, env.IfName);
        var expected = (prev.Ips ?? []).Select(ip => ParseResultAddress(ip.Address)).ToArray();
        var agent = AgentSettings.From(config, _getVariable);
        var problems = agent.UseAgent ? AgentIpam.Check(agent, request, expected) : WithClient(config, (client, _, _) => client.CheckHandleAsync(handleId, expected));
        if (problems.Count > 0)
        {
            throw new CniException(CniErrorCode.CheckFailed, string.Join("; ", problems));
        }
    }

    public static System.Net.IPAddress ParseResultAddress(string text) =>
        IpCidr.TryParse(text, out var cidr) ? cidr.Value.Address : throw NetworkConfig.Invalid($"prevResult: '{text}' is not an address in CIDR form");

    public void Status(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = IpamRoleConfig.From(config);
        var agent = AgentSettings.From(config, _getVariable);
        if (agent.UseAgent)
        {
            StatusThroughAgent(agent, config);
            return;
        }
        try
        {
            var free = WithClient(config, async (client, _, datastore) =>
                (!settings.AssignIPv4 || await client.HasFreeAddressAsync(datastore.NodeName, settings.Pools, AddressFamily.InterNetwork).ConfigureAwait(false))
                && (!settings.AssignIPv6 || await client.HasFreeAddressAsync(datastore.NodeName, settings.Pools, AddressFamily.InterNetworkV6).ConfigureAwait(false)));
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
        // Without the list every attachment would look dead: refused, nothing released.
        var valid = config.ValidAttachments ?? throw NetworkConfig.Invalid("GC needs \"cni.dev/valid-attachments\"");
        var live = valid
            .Select(a => HandleId(config.Name, a.ContainerId, a.IfName))
            .ToHashSet(StringComparer.Ordinal);
        var agent = AgentSettings.From(config, _getVariable);
        if (agent.UseAgent)
        {
            AgentIpam.Gc(agent, config.Name, live, settings.GcGracePeriod);
            return;
        }
        // The list names this node's attachments of this network only: nothing else is in scope.
        WithClient(config, (client, _, datastore) => client.GcAsync(live, settings.GcGracePeriod, GcScope.Of(datastore.NodeName, config.Name)));
    }

    /// <summary>STATUS through the agent: an agent that is away, or no free address, is 50 (not available).</summary>
    public static void StatusThroughAgent(AgentSettings agent, NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = IpamRoleConfig.From(config);
        try
        {
            AgentIpam.Status(agent, settings.Pools, settings.AssignIPv4, settings.AssignIPv6);
        }
        catch (CniException e) when (e.Code != CniErrorCode.InvalidNetworkConfig)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, e.Message, e.Details, e);
        }
    }

    private T WithClient<T>(NetworkConfig config, Func<IpamClient, IStore, DatastoreSettings, Task<T>> action)
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

    private static async Task<T> RunAsync<T>(DatastoreSettings datastore, Func<IpamClient, IStore, DatastoreSettings, Task<T>> action)
    {
        var store = await StoreFactory.OpenAsync(datastore.Url, datastore.Etcd).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            return await action(new IpamClient(store), store, datastore).ConfigureAwait(false);
        }
    }
}
