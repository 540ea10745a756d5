using System.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Cni;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Routes;
using V1 = RoutedNet.Felix.Api.V1;

namespace RoutedNet.Felix.Api;

/// <summary>
/// The local gRPC API (proto/node.proto). It asks the components that own each piece of state (the
/// route loop answers through its mailbox, so no state is read across threads); its writes are the
/// BGP host's own operations: Drain, and the operator's per-peer commands (reset, refresh).
/// </summary>
public sealed class NodeApiService(
    NodeState node,
    HealthRegistry health,
    RouteReconciler routes,
    BgpBackendHost bgp,
    CniAgent cni,
    RoutedNet.Felix.Reconcilers.Policy.PolicyStatus policy,
    PolicyDrops.PolicyDropService drops,
    RoutedNet.Netlink.Nftables.Tracing.FlowTracer tracer,
    PolicyCounters.PolicyCounterReader counters,
    TimeProvider time) : V1.NodeApi.NodeApiBase
{
    // About 60-100 kB a message: far under any gRPC limit, few enough messages for 1M routes.
    private const int ChunkSize = 1000;

    public override Task<V1.NodeStatus> GetNodeStatus(V1.GetNodeStatusRequest request, ServerCallContext context)
    {
        var status = new V1.NodeStatus
        {
            Started = Timestamp.FromDateTimeOffset(node.Started),
            Ready = health.IsReady,
            // The informational version (0.x.y+COMMIT, Directory.Build.props), not the assembly version (always 1.0.0.0).
            Version = typeof(NodeApiService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            Drained = bgp.Drained is not null || bgp.Drain.Phase == DrainPhase.Drained,
            BgpBackend = bgp.Backend.Name,
        };
        status.BgpBackendLimits.Add(bgp.Backend.Limits);
        var drain = bgp.Drain;
        status.DrainPhase = ApiMapping.DrainText(drain.Phase);
        status.DrainSince = drain.Since is { } since ? Timestamp.FromDateTimeOffset(since) : null;
        status.DrainWithdrawAt = drain.WithdrawAt is { } withdrawAt ? Timestamp.FromDateTimeOffset(withdrawAt) : null;
        if (node.Current is { } summary)
        {
            status.Name = summary.Name;
            status.AsNumber = summary.AsNumber;
            status.AsNumberSource = summary.AsNumberSource;
            status.RouterId = summary.RouterId?.ToString() ?? "";
            status.Addresses.Add(summary.Addresses.Select(a => a.ToString()));
            status.Blocks.Add(summary.Blocks.Select(b => b.ToString()));
        }
        status.Components.Add(health.Snapshot().Select(c => new V1.ComponentHealth { Name = c.Name, Ready = c.Ready, Detail = c.Detail }));
        return Task.FromResult(status);
    }

    public override async Task<V1.ListPeersResponse> ListPeers(V1.ListPeersRequest request, ServerCallContext context)
    {
        var response = new V1.ListPeersResponse();
        var peers = await bgp.GetPeersAsync(context.CancellationToken).ConfigureAwait(false);
        response.Peers.Add(peers.Select(ApiMapping.ToApi));
        return response;
    }

    public override async Task<V1.DrainResponse> Drain(V1.DrainRequest request, ServerCallContext context)
    {
        var peers = await bgp.GetPeersAsync(context.CancellationToken).ConfigureAwait(false);
        var withdrawn = await bgp.DrainAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new V1.DrainResponse();
        response.Withdrawn.Add(withdrawn);
        response.Peers.Add(peers.Select(p => p.Config.Address.ToString()));
        return response;
    }

    public override async Task<V1.ListRibResponse> ListRib(V1.ListRibRequest request, ServerCallContext context)
    {
        var response = new V1.ListRibResponse();
        response.Entries.Add(await RibAsync(request, context).ConfigureAwait(false));
        return response;
    }

    public override async Task StreamRib(V1.ListRibRequest request, IServerStreamWriter<V1.ListRibResponse> responseStream, ServerCallContext context)
    {
        foreach (var chunk in (await RibAsync(request, context).ConfigureAwait(false)).Chunk(ChunkSize))
        {
            var response = new V1.ListRibResponse();
            response.Entries.Add(chunk);
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IEnumerable<V1.RibEntry>> RibAsync(V1.ListRibRequest request, ServerCallContext context)
    {
        System.Net.IPNetwork? filter = null;
        if (request.Prefix.Length > 0)
        {
            filter = System.Net.IPNetwork.TryParse(request.Prefix, out var parsed)
                ? parsed
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{request.Prefix}' is not a CIDR prefix"));
        }
        var rib = await bgp.GetRibAsync(context.CancellationToken).ConfigureAwait(false);
        return rib.Where(e => filter is null || e.Prefix == filter).Select(ApiMapping.ToApi);
    }

    public override async Task<V1.ResetPeerResponse> ResetPeer(V1.ResetPeerRequest request, ServerCallContext context)
    {
        var peer = ParsePeer(request.Address);
        Check(await bgp.ResetPeerAsync(peer, context.CancellationToken).ConfigureAwait(false), peer);
        return new V1.ResetPeerResponse();
    }

    public override async Task<V1.RefreshPeerResponse> RefreshPeer(V1.RefreshPeerRequest request, ServerCallContext context)
    {
        var peer = ParsePeer(request.Address);
        Check(await bgp.RefreshPeerAsync(peer, context.CancellationToken).ConfigureAwait(false), peer);
        return new V1.RefreshPeerResponse();
    }

    public override Task<V1.CniAllocateResponse> CniAllocate(V1.CniAllocateRequest request, ServerCallContext context) =>
        Cni(() => cni.AllocateAsync(request, context.CancellationToken), context);

    public override Task<V1.CniReleaseResponse> CniRelease(V1.CniReleaseRequest request, ServerCallContext context) =>
        Cni(() => cni.ReleaseAsync(request, context.CancellationToken), context);

    public override Task<V1.CniRegisterEndpointResponse> CniRegisterEndpoint(V1.CniRegisterEndpointRequest request, ServerCallContext context) =>
        Cni(() => cni.RegisterEndpointAsync(request, context.CancellationToken), context);

    public override Task<V1.CniEndpointResponse> CniUnregisterEndpoint(V1.CniUnregisterEndpointRequest request, ServerCallContext context) =>
        Cni(() => cni.UnregisterEndpointAsync(request, context.CancellationToken), context);

    public override Task<V1.CniCheckResponse> CniCheck(V1.CniCheckRequest request, ServerCallContext context) =>
        Cni(() => cni.CheckAsync(request, context.CancellationToken), context);

    public override Task<V1.CniGcResponse> CniGc(V1.CniGcRequest request, ServerCallContext context) =>
        Cni(() => cni.GcAsync(request, context.CancellationToken), context);

    public override Task<V1.CniStatusResponse> CniStatus(V1.CniStatusRequest request, ServerCallContext context) =>
        Cni(() => cni.StatusAsync(request, context.CancellationToken), context);

    public override Task<V1.CniWaitEndpointResponse> CniWaitEndpointProgrammed(V1.CniWaitEndpointRequest request, ServerCallContext context) =>
        Cni(() => cni.WaitEndpointProgrammedAsync(request, context.CancellationToken), context);

    public override async Task ListPolicyDrops(V1.ListPolicyDropsRequest request, IServerStreamWriter<V1.PolicyDropEvent> responseStream, ServerCallContext context)
    {
        // Subscribed before the backlog is sent, so nothing logged in between is missed (at worst shown twice).
        var follow = request.Follow ? drops.Recorder.FollowAsync(context.CancellationToken).GetAsyncEnumerator(context.CancellationToken) : null;
        var pending = follow?.MoveNextAsync();
        foreach (var drop in drops.Recorder.Recent())
        {
            await responseStream.WriteAsync(ApiMapping.ToApi(drop), context.CancellationToken).ConfigureAwait(false);
        }
        if (follow is null || pending is not { } next)
        {
            return;
        }
        await using (follow.ConfigureAwait(false))
        {
            try
            {
                while (await next.ConfigureAwait(false))
                {
                    await responseStream.WriteAsync(ApiMapping.ToApi(follow.Current), context.CancellationToken).ConfigureAwait(false);
                    next = follow.MoveNextAsync();
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The client went away: --follow ends with Ctrl-C.
            }
        }
    }

    public override async Task TracePolicy(V1.TracePolicyRequest request, IServerStreamWriter<V1.PolicyTraceStep> responseStream, ServerCallContext context)
    {
        var filter = ApiMapping.FromApi(request);
        if (filter.Problem() is { } problem)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        }
        var seconds = request.Seconds is > 0 and <= 300 ? request.Seconds : 10u;
        await tracer.RunAsync(filter, TimeSpan.FromSeconds(seconds), step => responseStream.WriteAsync(ApiMapping.ToApi(step), context.CancellationToken), context.CancellationToken).ConfigureAwait(false);
    }

    public override Task<V1.PolicyStatus> GetPolicyStatus(V1.GetPolicyStatusRequest request, ServerCallContext context)
    {
        var status = ApiMapping.ToApi(policy);
        if (request.Counters)
        {
            var read = counters.Read();
            status.RuleCounters.Add(read.Rules.Select(ApiMapping.ToApi));
            status.ImplicitDrops.Add(read.ImplicitDrops.Select(ApiMapping.ToApi));
        }
        return Task.FromResult(status);
    }

    public override async Task<V1.PolicyStatus> WaitPolicyRevision(V1.WaitPolicyRevisionRequest request, ServerCallContext context)
    {
        var timeout = TimeSpan.FromMilliseconds(request.TimeoutMs is > 0 ? request.TimeoutMs : 30_000);
        await policy.WaitEnforcedAsync(request.Revision, timeout, time, context.CancellationToken).ConfigureAwait(false);
        return ApiMapping.ToApi(policy);
    }

    // The CNI code travels in the trailer "cni-code" next to the gRPC status.
    private static async Task<T> Cni<T>(Func<Task<T>> call, ServerCallContext context)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (CniAgentException e)
        {
            context.ResponseTrailers.Add("cni-code", e.CniCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            throw new RpcException(new Status((StatusCode)e.GrpcCode, e.Message));
        }
    }

    private static System.Net.IPAddress ParsePeer(string address) =>
        System.Net.IPAddress.TryParse(address, out var peer)
            ? peer
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{address}' is not an IP address"));

    private static void Check(PeerCommandResult result, System.Net.IPAddress peer)
    {
        switch (result)
        {
            case PeerCommandResult.NotConfigured:
                throw new RpcException(new Status(StatusCode.NotFound, $"no BGP peer {peer} on this node (see `routednetctl bgp peers`)"));
            case PeerCommandResult.NotEstablished:
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the session with {peer} is not Established, or the peer did not offer route refresh"));
        }
    }

    public override Task<V1.ListAdvertisedResponse> ListAdvertised(V1.ListAdvertisedRequest request, ServerCallContext context)
    {
        System.Net.IPNetwork? filter = null;
        if (request.Prefix.Length > 0)
        {
            filter = System.Net.IPNetwork.TryParse(request.Prefix, out var parsed)
                ? parsed
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"'{request.Prefix}' is not a CIDR prefix"));
        }
        var response = new V1.ListAdvertisedResponse();
        response.Prefixes.Add(node.Advertised.Where(a => filter is null || a.Prefix == filter).Select(a =>
        {
            var prefix = new V1.AdvertisedPrefix { Prefix = a.Prefix.ToString(), Blackholed = a.Blackholed };
            prefix.Reasons.Add(a.Reasons);
            return prefix;
        }));
        return Task.FromResult(response);
    }

    public override Task<V1.ListWorkloadEndpointsResponse> ListWorkloadEndpoints(V1.ListWorkloadEndpointsRequest request, ServerCallContext context)
    {
        var response = new V1.ListWorkloadEndpointsResponse();
        response.Endpoints.Add(node.WorkloadEndpoints.Select(ApiMapping.ToApi));
        return Task.FromResult(response);
    }

    public override async Task<V1.ListRoutesResponse> ListRoutes(V1.ListRoutesRequest request, ServerCallContext context)
    {
        var (header, all) = await RoutesAsync(context).ConfigureAwait(false);
        header.Routes.Add(all.Select(ApiMapping.ToApi));
        return header;
    }

    public override async Task StreamRoutes(V1.ListRoutesRequest request, IServerStreamWriter<V1.ListRoutesResponse> responseStream, ServerCallContext context)
    {
        var (header, all) = await RoutesAsync(context).ConfigureAwait(false);
        // Sorted before mapping, and mapped a chunk at a time: with 1M routes only one chunk of
        // API messages exists at once.
        var sorted = all.OrderBy(r => r.State == RouteState.Ok).ThenBy(r => r.Prefix.ToString(), StringComparer.Ordinal);
        var sent = false;
        foreach (var chunk in sorted.Chunk(ChunkSize))
        {
            var response = header.Clone();
            response.Routes.Add(chunk.Select(ApiMapping.ToApi));
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
            sent = true;
        }
        if (!sent)
        {
            // No routes at all: the protocol and last resync still reach the reader.
            await responseStream.WriteAsync(header, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The answer's header (protocol, last resync) and its routes.</summary>
    private async Task<(V1.ListRoutesResponse Header, IReadOnlyList<RouteStatusEntry> Routes)> RoutesAsync(ServerCallContext context)
    {
        // Read the kernel back for the answer: an operator asking "is anything off?" must see a
        // route deleted by hand a moment ago, not the last periodic resync.
        var report = await routes.ReportAsync(fresh: true, context.CancellationToken).ConfigureAwait(false);
        var header = new V1.ListRoutesResponse { Protocol = Dataplane.RouteOwnership.Protocol };
        if (report.LastResync is { } at)
        {
            header.LastResync = Timestamp.FromDateTimeOffset(at);
        }
        return (header, report.Routes);
    }
}
