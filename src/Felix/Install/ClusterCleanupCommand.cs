using System.CommandLine;
using RoutedNet.Datastore;
using RoutedNet.Felix.Configuration;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Uninstall;

namespace RoutedNet.Felix.Install;

/// <summary>
/// `routednet-node cleanup --cluster`, the chart's post-delete hook (templates/uninstall-job.yaml):
/// removes what RoutedNet left in the API once `helm uninstall` deleted the agents and their
/// credentials (<see cref="ClusterCleanup"/>: every routednet.io object, the Nodes' routednet.io
/// annotations). No node is touched: each agent cleaned its own node on its SIGTERM. The API
/// server is the kubeconfig's (--kubeconfig, else $KUBECONFIG), else the pod's service account.
/// Prints a line per kind with what it deleted; exit 0 when nothing is left, 1 with one line per
/// step that failed, 2 for a bad flag.
/// </summary>
public static class ClusterCleanupCommand
{
    public const string Flag = "--cluster";

    /// <summary>Pause between lists of a kind whose objects came back (a writer still at work).</summary>
    public static readonly TimeSpan RoundPause = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = new RootCommand("routednet-node cleanup --cluster: deletes every routednet.io object and every Node's routednet.io annotations (the chart's post-delete hook). The CRDs and the Nodes stay.");
        var cluster = new Option<bool>(Flag) { Description = "Clean the API cluster-wide instead of this node." };
        var kubeconfig = new Option<string>(Setting.Kubeconfig.Flag) { Description = $"Kubeconfig file; default $KUBECONFIG, else the pod's service account (in-cluster)." };
        command.Options.Add(cluster);
        command.Options.Add(kubeconfig);
        var parsed = command.Parse(args.ToArray());
        if (parsed.Errors.Count == 0 && parsed.Action is not null)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output });
            return 0;
        }
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"routednet-node cleanup --cluster: invalid configuration: {string.Join("; ", parsed.Errors.Select(e => e.Message))}").ConfigureAwait(false);
            return 2;
        }
        KubeApi api;
        try
        {
            api = KubeApi.Open(parsed.GetValue(kubeconfig));
        }
        catch (ArgumentException e)
        {
            // The message without ArgumentException's " (Parameter 'x')": one line for a person.
            var message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            await error.WriteLineAsync($"routednet-node cleanup --cluster: invalid configuration: {message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is DatastoreException or IOException)
        {
            await error.WriteLineAsync($"routednet-node cleanup --cluster: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        using (api)
        {
            var result = await ClusterCleanup.RunAsync(api, RoundPause, CancellationToken.None).ConfigureAwait(false);
            foreach (var line in ClusterCleanup.Describe(result))
            {
                await output.WriteLineAsync($"routednet-node cleanup --cluster: {line}").ConfigureAwait(false);
            }
            foreach (var failure in result.Failures)
            {
                await error.WriteLineAsync($"routednet-node cleanup --cluster: {failure}").ConfigureAwait(false);
            }
            return result.Failures.Count == 0 ? 0 : 1;
        }
    }
}
