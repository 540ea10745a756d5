using Grpc.Net.Client;
using RoutedNet.Common;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.PolicyBench;

/// <summary>The agent's local API over its Unix socket (gRPC, HTTP/2 without TLS).</summary>
internal sealed class AgentClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public AgentClient(string socketPath)
    {
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketHttpHandler.For(socketPath) });
        Api = new NodeApi.NodeApiClient(_channel);
    }

    public NodeApi.NodeApiClient Api { get; }

    /// <summary>The status once the agent enforces <paramref name="revision"/>; throws when it does not within <paramref name="timeout"/>.</summary>
    public async Task<PolicyStatus> WaitEnforcedAsync(long revision, TimeSpan timeout)
    {
        var status = await Api.WaitPolicyRevisionAsync(new WaitPolicyRevisionRequest { Revision = revision, TimeoutMs = (uint)timeout.TotalMilliseconds });
        return status.EnforcedRevision >= revision
            ? status
            : throw new TimeoutException($"the agent did not enforce revision {revision} within {timeout.TotalSeconds} s (it enforces {status.EnforcedRevision})");
    }

    public void Dispose() => _channel.Dispose();
}
