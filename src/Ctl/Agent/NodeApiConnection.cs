using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using RoutedNet.Common;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// A gRPC channel to one agent's local API over its Unix socket (HTTP/2 without TLS). Failures to
/// reach the agent become one <see cref="CtlException"/> line that says what to check.
/// </summary>
internal sealed class NodeApiConnection : IDisposable
{
    public const string DefaultSocket = "/run/routednet/node.sock";

    // Every call is local and answered from memory or one kernel read: a hung agent must not hang a script.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private readonly GrpcChannel _channel;
    private readonly NodeApi.NodeApiClient _client;

    public NodeApiConnection(string socketPath)
    {
        SocketPath = socketPath;
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = UnixSocketHttpHandler.For(socketPath) });
        _client = new NodeApi.NodeApiClient(_channel);
    }

    public string SocketPath { get; }

    /// <param name="counters">Also the per-rule counters (the agent dumps its rules for them).</param>
    public Task<PolicyStatus> GetPolicyStatusAsync(CancellationToken cancellationToken, bool counters = false) =>
        CallAsync(o => _client.GetPolicyStatusAsync(new GetPolicyStatusRequest { Counters = counters }, o).ResponseAsync, cancellationToken);

    public Task<NodeStatus> GetNodeStatusAsync(CancellationToken cancellationToken) =>
        CallAsync(o => _client.GetNodeStatusAsync(new GetNodeStatusRequest(), o).ResponseAsync, cancellationToken);

    public async Task<IReadOnlyList<Peer>> ListPeersAsync(CancellationToken cancellationToken) =>
        (await CallAsync(o => _client.ListPeersAsync(new ListPeersRequest(), o).ResponseAsync, cancellationToken).ConfigureAwait(false)).Peers;

    public async Task<IReadOnlyList<AdvertisedPrefix>> ListAdvertisedAsync(string? prefix, CancellationToken cancellationToken) =>
        (await CallAsync(o => _client.ListAdvertisedAsync(new ListAdvertisedRequest { Prefix = prefix ?? "" }, o).ResponseAsync, cancellationToken).ConfigureAwait(false)).Prefixes;

    public async Task<IReadOnlyList<AgentWorkloadEndpoint>> ListWorkloadEndpointsAsync(CancellationToken cancellationToken) =>
        (await CallAsync(o => _client.ListWorkloadEndpointsAsync(new ListWorkloadEndpointsRequest(), o).ResponseAsync, cancellationToken).ConfigureAwait(false)).Endpoints;

    /// <summary>The Loc-RIB as the agent streams it (any size: one message holds at most 1000 entries).</summary>
    public async IAsyncEnumerable<RibEntry> StreamRibAsync(string? prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var chunk in StreamAsync(o => _client.StreamRib(new ListRibRequest { Prefix = prefix ?? "" }, o), cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in chunk.Entries)
            {
                yield return entry;
            }
        }
    }

    public Task<DrainResponse> DrainAsync(CancellationToken cancellationToken) =>
        CallAsync(o => _client.DrainAsync(new DrainRequest(), o).ResponseAsync, cancellationToken);

    /// <summary>The route report in the agent's chunks (each carries the protocol and last resync).</summary>
    public IAsyncEnumerable<ListRoutesResponse> StreamRoutesAsync(CancellationToken cancellationToken) =>
        StreamAsync(o => _client.StreamRoutes(new ListRoutesRequest(), o), cancellationToken);

    /// <summary>The drops the agent logged (its last 1,000), then with <paramref name="follow"/> each new one until cancelled.</summary>
    public IAsyncEnumerable<PolicyDropEvent> ListPolicyDropsAsync(bool follow, CancellationToken cancellationToken) =>
        StreamAsync(o => _client.ListPolicyDrops(new ListPolicyDropsRequest { Follow = follow }, o), cancellationToken, follow ? Timeout.InfiniteTimeSpan : CallTimeout);

    /// <summary>The steps of the traced flow's packets on this node, for the request's seconds.</summary>
    public IAsyncEnumerable<PolicyTraceStep> TracePolicyAsync(TracePolicyRequest request, CancellationToken cancellationToken) =>
        StreamAsync(o => _client.TracePolicy(request, o), cancellationToken, TimeSpan.FromSeconds(request.Seconds) + CallTimeout);

    // A stream of a big table takes as long as it takes; what must not hang is a silent agent, so
    // the timeout is per message, not per call (a stream that waits for events sets its own).
    private async IAsyncEnumerable<T> StreamAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> start, [EnumeratorCancellation] CancellationToken cancellationToken, TimeSpan? idleTimeout = null)
    {
        var timeout = idleTimeout ?? CallTimeout;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(timeout);
        using var call = start(new CallOptions(cancellationToken: idle.Token));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(idle.Token).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CtlException(CtlExitCode.Unreachable, $"cannot reach the node agent at {SocketPath}: no answer within {timeout.TotalSeconds:0} s", e);
            }
            catch (RpcException e)
            {
                throw new CtlException(CtlFailure.ExitCodeOf(e), Describe(e), e);
            }
            if (!more)
            {
                yield break;
            }
            idle.CancelAfter(timeout);
            yield return call.ResponseStream.Current;
        }
    }

    public Task ResetPeerAsync(string address, CancellationToken cancellationToken) =>
        CallAsync(o => _client.ResetPeerAsync(new ResetPeerRequest { Address = address }, o).ResponseAsync, cancellationToken);

    public Task RefreshPeerAsync(string address, CancellationToken cancellationToken) =>
        CallAsync(o => _client.RefreshPeerAsync(new RefreshPeerRequest { Address = address }, o).ResponseAsync, cancellationToken);

    private async Task<T> CallAsync<T>(Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new CtlException(CtlFailure.ExitCodeOf(e), Describe(e), e);
        }
    }

    /// <summary>The reason an operator can act on: no socket, no permission, no agent, or the agent's own answer.</summary>
    internal string Describe(RpcException e)
    {
        var prefix = $"cannot reach the node agent at {SocketPath}";
        for (Exception? inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.AccessDenied => $"{prefix}: permission denied (the socket is root-only: run as root)",
                    _ when !File.Exists(SocketPath) => $"{prefix}: no such socket (is routednet-node running? see --node-socket)",
                    SocketError.ConnectionRefused => $"{prefix}: connection refused (routednet-node is not running)",
                    _ => $"{prefix}: {socket.Message}",
                };
            }
        }
        return e.StatusCode switch
        {
            StatusCode.DeadlineExceeded => $"{prefix}: no answer within {CallTimeout.TotalSeconds:0} s",
            StatusCode.Unavailable => $"{prefix}: {e.Status.Detail}",
            _ => $"the node agent at {SocketPath} answered {e.StatusCode}: {e.Status.Detail}",
        };
    }

    public void Dispose() => _channel.Dispose();
}
