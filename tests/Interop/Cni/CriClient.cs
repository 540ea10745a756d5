using System.Text.Json;
using Grpc.Net.Client;
using RoutedNet.Common;
using RoutedNet.Interop.Cni.Cri;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// kubelet's half of the CRI: the sandbox calls kubelet makes for a pod, over the runtime's Unix
/// socket (crictl is not packaged in Debian 12, so this is our crictl).
/// </summary>
public sealed class CriClient : IDisposable
{
    // kubelet bounds every CRI call too (its runtime-request-timeout); a hung runtime fails the test instead of hanging it.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _runtime;

    public CriClient(string socketPath)
    {
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketHttpHandler.For(socketPath) });
        _runtime = new RuntimeService.RuntimeServiceClient(_channel);
    }

    public async Task<VersionResponse> VersionAsync() =>
        await _runtime.VersionAsync(new VersionRequest { Version = "v1" }, deadline: Deadline());

    /// <summary>The runtime condition <paramref name="type"/> (RuntimeReady, NetworkReady), or null when not reported.</summary>
    public async Task<RuntimeCondition?> ConditionAsync(string type)
    {
        var status = await _runtime.StatusAsync(new StatusRequest(), deadline: Deadline());
        return status.Status?.Conditions.FirstOrDefault(c => c.Type == type);
    }

    /// <summary>Creates and starts a pod sandbox as kubelet does for a new pod; returns its id.</summary>
    public async Task<string> RunPodSandboxAsync(string name, string podNamespace, string uid)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = podNamespace, Uid = uid },
            Hostname = name,
            Linux = new LinuxPodSandboxConfig(),
        };
        var response = await _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, deadline: Deadline());
        return response.PodSandboxId;
    }

    public async Task<PodSandboxStatusResponse> PodSandboxStatusAsync(string sandboxId) =>
        await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId, Verbose = true }, deadline: Deadline());

    /// <summary>
    /// The sandbox's network namespace path, read from the runtime spec in the verbose status
    /// (containerd names it /var/run/netns/cni-&lt;uuid&gt;).
    /// </summary>
    public async Task<string> NetworkNamespacePathAsync(string sandboxId)
    {
        var status = await PodSandboxStatusAsync(sandboxId);
        using var info = JsonDocument.Parse(status.Info["info"]);
        foreach (var ns in info.RootElement.GetProperty("runtimeSpec").GetProperty("linux").GetProperty("namespaces").EnumerateArray())
        {
            if (ns.GetProperty("type").GetString() == "network")
            {
                return ns.GetProperty("path").GetString()
                    ?? throw new InvalidOperationException($"sandbox {sandboxId}: network namespace has no path");
            }
        }
        throw new InvalidOperationException($"sandbox {sandboxId}: no network namespace in {status.Info["info"]}");
    }

    public async Task StopPodSandboxAsync(string sandboxId) =>
        await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, deadline: Deadline());

    public async Task RemovePodSandboxAsync(string sandboxId) =>
        await _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, deadline: Deadline());

    public async Task<IReadOnlyList<PodSandbox>> ListPodSandboxAsync() =>
        (await _runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: Deadline())).Items;

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    public void Dispose() => _channel.Dispose();
}
