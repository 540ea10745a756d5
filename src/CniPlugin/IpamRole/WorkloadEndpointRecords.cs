using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// `routednet` records each attachment as a WorkloadEndpoint (named like its IPAM handle,
/// NETWORK.CONTAINERID.IFNAME) on ADD and removes it on DEL, when a datastore is configured
/// (config "datastore" or ROUTEDNET_DATASTORE); the node agent reconciles routes from these.
/// Without one, both calls do nothing: the plugin also works with host-local and no cluster store.
/// </summary>
internal static class WorkloadEndpointRecords
{
    public static void Record(CniRequest request, string hostInterface, IReadOnlyList<IpCidr> addresses, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(addresses);
        var (env, config) = (request.Environment, request.Config);
        // Without a datastore there is nothing to record (and no host name to look up).
        if (!DatastoreSettings.IsExplicit(config, getVariable))
        {
            return;
        }
        var datastore = DatastoreSettings.From(config, getVariable);
        var identity = PodIdentityArgs.From(config);
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = NameOf(request), Labels = identity.Labels },
            Spec = new WorkloadEndpointSpec
            {
                Pod = env.Args.PodName ?? "",
                Namespace = env.Args.PodNamespace ?? "",
                ContainerID = env.ContainerId,
                Interface = env.IfName,
                HostInterface = hostInterface,
                IPNetworks = addresses.Select(a => a.Host.ToString()).ToArray(),
                Node = datastore.NodeName,
                Network = config.Name,
                ServiceAccount = identity.ServiceAccount,
                Ports = identity.Ports,
            },
        };
        Run(datastore, async store =>
        {
            try
            {
                // A new attachment has no record: one write, no read before it.
                await store.CreateAsync(endpoint).ConfigureAwait(false);
            }
            catch (ResourceAlreadyExistsException)
            {
                // A repeated ADD of the same attachment overwrites its record (null resourceVersion).
                await store.UpdateAsync(endpoint).ConfigureAwait(false);
            }
        });
    }

    public static void Remove(CniRequest request, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!DatastoreSettings.IsExplicit(request.Config, getVariable))
        {
            return;
        }
        var datastore = DatastoreSettings.From(request.Config, getVariable);
        Run(datastore, async store =>
        {
            try
            {
                await store.DeleteAsync<WorkloadEndpoint>(NameOf(request)).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
                // DEL succeeds on what is already gone.
            }
        });
    }

    private static string NameOf(CniRequest request) =>
        IpamRolePlugin.HandleId(request.Config.Name, request.Environment.ContainerId, request.Environment.IfName);

    private static void Run(DatastoreSettings datastore, Func<IStore, Task> action)
    {
        try
        {
            RunAsync(datastore, action).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not CniException)
        {
            throw IpamErrors.From(e);
        }
    }

    private static async Task RunAsync(DatastoreSettings datastore, Func<IStore, Task> action)
    {
        var store = await StoreFactory.OpenAsync(datastore.Url, datastore.Etcd).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            await action(store).ConfigureAwait(false);
        }
    }
}
