using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Gc;

namespace RoutedNet.Felix.Install;

/// <summary>
/// What an uninstall removes from a node, so that `helm uninstall` leaves nothing of RoutedNet
/// there (issue 15; Calico's leftover conflist made every later pod fail, k0s#823, rke2#770):
/// <list type="number">
/// <item>the conflist (first, so that no new pod is handed to a plugin that is going away);</item>
/// <item>every main-table route of our protocol number: pod routes, blackholes of our blocks, BGP
/// routes to other nodes' blocks (nobody else's route carries that number);</item>
/// <item>the CNI binaries install-cni copied (only those two names), and the plugin's records in
/// its dataDir for this network (DATADIR/NETWORK) and its queue of releases (DATADIR/.pending-release):
/// the IPAM they point at is released below, and a later install must not route dead pods;</item>
/// <item>the node's IPAM: the IPAMHandles whose allocations are recorded with this node (this
/// node's pods; their addresses are freed in their blocks, borrowed ones included), then its
/// BlockAffinities and its blocks, empty by then; a block still holding another node's borrowed
/// address only loses its owner, since deleting it would hand that address out twice. The pods
/// lose their network with the plugin, so their addresses go back to the pool instead of being
/// counted in blocks no node owns;</item>
/// <item>its Node: the routednet.io annotations on the core Node (the Node itself is kubelet's;
/// NetworkUnavailable is left as it is, never set True: the node's other pods keep running).</item>
/// </list>
/// Each step runs even when an earlier one failed; the failures are returned, one line each.
/// </summary>
public static class NodeCleanup
{
    /// <summary>Removes the conflist now (the first step, done before BGP and the rest stop).</summary>
    public static string? RemoveConflist(AgentOptions options)
    {
        if (CniConflist.PathFor(options) is not { } path || !File.Exists(path))
        {
            return null;
        }
        File.Delete(path);
        return path;
    }

    /// <summary>Runs every step; <paramref name="report"/> gets a line per thing removed. Returns the failures.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(AgentOptions options, IStore store, IKernelRoutes kernel, Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(report);
        var failures = new List<string>();
        void Step(string what, Action action)
        {
            try
            {
                action();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or RoutedNet.Netlink.NetlinkException)
            {
                failures.Add($"{what}: {e.Message}");
            }
        }
        async Task StepAsync(string what, Func<Task> action)
        {
            try
            {
                await action().ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatastoreException or IpamException or IOException or HttpRequestException or TimeoutException)
            {
                failures.Add($"{what}: {e.Message}");
            }
        }

        Step("removing the CNI config", () =>
        {
            if (RemoveConflist(options) is { } path)
            {
                report($"removed {path}");
            }
        });
        Step("removing our routes", () =>
        {
            var ours = kernel.ListRoutes().Where(r => r.IsOurs).Select(RouteChange.Remove).ToList();
            var failed = kernel.Apply(ours).Where(r => !r.Succeeded && !r.AlreadyGone).ToList();
            report($"removed {ours.Count - failed.Count} routes of ours (pod routes, blackholes, BGP routes)");
            if (failed.Count > 0)
            {
                throw new IOException($"{failed.Count} routes would not go, e.g. {failed[0].Change.Route}: {failed[0].Error}");
            }
        });
        Step("removing the CNI binaries", () =>
        {
            foreach (var path in CniBinaries.Remove(options.CniBinDir))
            {
                report($"removed {path}");
            }
        });
        Step("removing the plugin's records", () =>
        {
            foreach (var dir in (string[])[Path.Combine(options.CniDataDir, options.CniNetworkName), Path.Combine(options.CniDataDir, RoutedNet.Ipam.PendingReleases.PendingReleaseQueue.DirectoryName)])
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                    report($"removed {dir}");
                }
            }
        });
        var ipam = new IpamClient(store);
        await StepAsync("releasing the node's IPAM", async () =>
        {
            var released = await ipam.GcAsync(new HashSet<string>(), TimeSpan.Zero, GcScope.Of(options.NodeName, null), cancellationToken).ConfigureAwait(false);
            await ipam.ReleaseNodeAsync(options.NodeName, cancellationToken).ConfigureAwait(false);
            report($"released {released.Count} IPAM handles of node {options.NodeName} and its block affinities and blocks");
        }).ConfigureAwait(false);
        await StepAsync("removing the node's RoutedNet Node", async () =>
        {
            try
            {
                await store.DeleteAsync<Node>(options.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
                report($"removed the RoutedNet Node {options.NodeName}{(options.IsKubernetes ? " (the routednet.io annotations of the core Node)" : "")}");
            }
            catch (ResourceNotFoundException)
            {
            }
        }).ConfigureAwait(false);
        return failures;
    }
}
