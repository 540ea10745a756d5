using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Install;

/// <summary>
/// `routednet-node cleanup`: the uninstall of <see cref="NodeCleanup"/> run once, for a node whose
/// agent went away without the SIGTERM that would have done it (`kubectl delete ds
/// --cascade=orphan` then a killed pod, a node that was down during `helm uninstall`). It takes
/// the agent's own flags and environment, so a one-shot pod with the DaemonSet's env cleans the
/// same paths. It refuses while an agent answers on --api-socket: that agent would put back
/// what this removes. Exit 0 when everything is gone, 1 with one line per step that failed,
/// 2 for a bad configuration. With --cluster it is <see cref="ClusterCleanupCommand"/> instead: the
/// API side of an uninstall, for the whole cluster.
/// </summary>
public static class CleanupCommand
{
    public const string Name = "cleanup";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Contains(ClusterCleanupCommand.Flag))
        {
            // The API side, cluster-wide (the chart's post-delete hook): no node, no agent settings.
            return await ClusterCleanupCommand.RunAsync(args, output, error).ConfigureAwait(false);
        }
        AgentOptions? options;
        try
        {
            options = AgentOptionsLoader.Load(args, environment, output);
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync($"routednet-node cleanup: invalid configuration: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        if (options is null)
        {
            return 0;
        }
        if (await AgentAnswersAsync(options.ApiSocket).ConfigureAwait(false))
        {
            await error.WriteLineAsync($"routednet-node cleanup: routednet-node is running on this node (its API socket {options.ApiSocket} answers): stop it first, it would put back what cleanup removes").ConfigureAwait(false);
            return 1;
        }
        IStore store;
        try
        {
            store = await RoutedNet.Kubernetes.KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse(options.Datastore), options.Etcd, options.Kubeconfig, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"routednet-node cleanup: invalid configuration: datastore {options.Datastore}: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is DatastoreException or IOException)
        {
            await error.WriteLineAsync($"routednet-node cleanup: datastore {options.Datastore}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        await using (store.ConfigureAwait(false))
        {
            using var kernel = new NetlinkKernel();
            var failures = await NodeCleanup.RunAsync(options, store, kernel, line => output.WriteLine($"routednet-node cleanup: {line}"), CancellationToken.None).ConfigureAwait(false);
            foreach (var failure in failures)
            {
                await error.WriteLineAsync($"routednet-node cleanup: {failure}").ConfigureAwait(false);
            }
            return failures.Count == 0 ? 0 : 1;
        }
    }

    /// <summary>
    /// The stopped agent's uninstall: every step of <see cref="NodeCleanup"/>, one line each on
    /// <paramref name="output"/> (the log pipeline has stopped with the host; a line written here is never lost).
    /// </summary>
    public static async Task UninstallAsync(AgentOptions options, IStore store, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var kernel = new NetlinkKernel();
        var failures = await NodeCleanup.RunAsync(options, store, kernel, line => output.WriteLine($"routednet-node: uninstall: {line}"), CancellationToken.None).ConfigureAwait(false);
        foreach (var failure in failures)
        {
            await output.WriteLineAsync($"routednet-node: uninstall step failed: {failure}").ConfigureAwait(false);
        }
    }

    private static async Task<bool> AgentAnswersAsync(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            // A socket file left by a killed agent: nobody listens (ECONNREFUSED).
            return false;
        }
    }
}
