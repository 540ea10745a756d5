using System.Net;
using System.Text.Json;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// The core Node's InternalIP addresses (status.addresses, as kubelet registered them): the node
/// address with <c>--node-ip-autodetection kubernetes-internal-ip</c>. The Node is kubelet's, never
/// ours: when it is not there yet (the agent's pod can start before its node is registered, or
/// <c>--node-name</c> is wrong) the agent says so in one line and waits, instead of crashing and
/// being restarted in a loop.
/// </summary>
public static class CoreNodeAddresses
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    /// <summary>Reads the Node's InternalIPs, waiting (and telling <paramref name="report"/> why, once per new reason) while it cannot.</summary>
    public static async Task<IReadOnlyList<IPAddress>> WaitAsync(KubeApi api, string nodeName, Action<string> report, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(report);
        var backoff = new Backoff(MinRetry, MaxRetry);
        string? reported = null;
        while (true)
        {
            string reason;
            try
            {
                if (await api.GetAsync(KubeResource.Nodes, nodeName, cancellationToken).ConfigureAwait(false) is { } node)
                {
                    return InternalIps(node);
                }
                reason = $"core Node \"{nodeName}\" not found on the API server {api.Connection.BaseUrl}: waiting for kubelet to register it (--node-name must be the node's name, spec.nodeName)";
            }
            catch (DatastoreException e)
            {
                reason = $"reading core Node \"{nodeName}\": {e.Message}";
            }
            if (reason != reported)
            {
                report($"{reason}; retrying");
                reported = reason;
            }
            await backoff.DelayAsync(time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>status.addresses of type InternalIP, in the Node's order.</summary>
    public static IReadOnlyList<IPAddress> InternalIps(JsonElement node)
    {
        var result = new List<IPAddress>();
        if (node.ValueKind == JsonValueKind.Object
            && node.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("addresses", out var addresses) && addresses.ValueKind == JsonValueKind.Array)
        {
            foreach (var address in addresses.EnumerateArray())
            {
                if (address.ValueKind == JsonValueKind.Object
                    && address.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "InternalIP"
                    && address.TryGetProperty("address", out var text) && text.ValueKind == JsonValueKind.String
                    && IPAddress.TryParse(text.GetString(), out var ip))
                {
                    result.Add(ip);
                }
            }
        }
        return result;
    }
}
