using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Cache;
using RoutedNet.Ipam.Gc;
using RoutedNet.Ipam.PendingReleases;
using V1 = RoutedNet.Felix.Api.V1;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// The agent's side of the CNI plugin's Cni* calls (proto/node.proto): the node's IPAM through
/// one <see cref="IpamClient"/> (requests of different attachments side by side, one attachment's
/// in turn, a GC alone: <see cref="AttachmentTurns"/>; no datastore lock), and the endpoint records, which the agent writes to the
/// datastore itself (with the kubernetes datastore endpoints come from the node's Pods, so none is
/// written). Releases the plugin queued on the node while the agent was away are carried out by
/// <see cref="DrainAsync"/>, and the one for a handle always before a new allocation for it: a
/// queued DEL never takes addresses from a later ADD of the same attachment.
/// </summary>
public sealed partial class CniAgent : IAsyncDisposable
{
    /// <summary>CniApiVersion in proto/node.proto that this agent speaks (and every version before it).</summary>
    public const uint ApiVersion = 1;

    private readonly AttachmentTurns _turns = new();
    private readonly IpamClient _ipam;
    private readonly NodeBlockCache _cache;
    private readonly IStore _store;
    private readonly string _nodeName;
    private readonly bool _writesEndpoints;
    private readonly ILogger<CniAgent> _logger;
    private readonly VethReaper _reaper;
    private readonly EndpointAcks? _acks;
    private readonly PolicyStatus? _policy;
    private readonly TimeProvider _time;
    private readonly EndpointWrites? _writes;

    public CniAgent(IStore store, AgentOptions options, ILogger<CniAgent> logger, EndpointAcks? acks = null, PolicyStatus? policy = null, TimeProvider? time = null, EndpointWrites? writes = null)
    {
        _acks = acks;
        _writes = writes;
        _policy = policy;
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _nodeName = options.NodeName;
        // The node's blocks, affinities, pools and IPAM settings kept by watches: an ADD from a
        // block the node owns costs the handle and block writes and no read.
        _cache = new NodeBlockCache(store, options.NodeName);
        _ipam = new IpamClient(store, cache: _cache);
        _writesEndpoints = !options.IsKubernetes;
        Queue = PendingReleaseQueue.ForDataDir(options.CniDataDir);
        _logger = logger;
        _reaper = new VethReaper(logger);
    }

    /// <summary>Lists and starts watching what the node's allocations read (until then the client reads the store).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _cache.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _cache.DisposeAsync().ConfigureAwait(false);
        _turns.Dispose();
        // The veths handed over by the last DELs are deleted before the agent exits.
        _reaper.Dispose();
    }

    /// <summary>The node's queue of releases waiting for the agent (in the plugin's dataDir, the agent's --cni-data-dir).</summary>
    public PendingReleaseQueue Queue { get; }

    public async Task<V1.CniAllocateResponse> AllocateAsync(V1.CniAllocateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var attachment = Attachment(request.Attachment);
        var allocation = new AllocationRequest
        {
            HandleId = attachment.HandleId,
            Node = _nodeName,
            IPv4Count = (int)Math.Min(request.Ipv4Count, 16),
            IPv6Count = (int)Math.Min(request.Ipv6Count, 16),
            Pools = request.Pools,
            Addresses = request.Addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip : throw CniErrors.Invalid($"requested address '{a}' is not an IP address")).ToArray(),
            Reserved = request.Reserved.Select(r => IPNetwork.TryParse(r, out var n) ? n : throw CniErrors.Invalid($"ipam.reserved: '{r}' is not a CIDR")).ToArray(),
            Attributes = new Dictionary<string, string>
            {
                [AttributeKeys.Node] = _nodeName,
                [AttributeKeys.ContainerId] = attachment.ContainerId,
                [AttributeKeys.Interface] = attachment.IfName,
                [AttributeKeys.Namespace] = attachment.Namespace,
                [AttributeKeys.Pod] = attachment.Pod,
            },
        };
        var answer = await InTurnAsync(Queue.PathFor(attachment.HandleId), async () =>
        {
            // A DEL of this attachment queued while the agent was away comes first (kubelet reuses
            // the sandbox id when it retries an ADD after a DEL).
            await CarryOutAsync(Queue.PathFor(attachment.HandleId), cancellationToken).ConfigureAwait(false);
            var allocated = await _ipam.AllocateAsync(allocation, cancellationToken).ConfigureAwait(false);
            var response = new V1.CniAllocateResponse();
            // IPv4 first, as the direct path returns them.
            response.Addresses.Add(allocated.OrderBy(a => a.Address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).Select(a => a.Address.ToString()));
            return response;
        }, cancellationToken).ConfigureAwait(false);
        if (request.RegisterHostInterface.Length > 0)
        {
            answer.EndpointRegistered = await TryRegisterAtAllocationAsync(attachment, request.RegisterHostInterface, answer.Addresses, cancellationToken).ConfigureAwait(false);
        }
        return answer;
    }

    /// <summary>
    /// ADD's endpoint registered with the addresses just allocated (CniAllocateRequest's
    /// register_host_interface), so its policy is programmed while the plugin makes the veth. The
    /// addresses are allocated whatever happens here: a failure is logged and answered as "not
    /// registered", and the plugin registers the endpoint itself, where the failure is its ADD's.
    /// </summary>
    private async Task<bool> TryRegisterAtAllocationAsync(
        (string HandleId, string ContainerId, string IfName, string Network, string Pod, string Namespace) attachment,
        string hostInterface, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        if (!WorkloadEndpointSpec.IsWorkloadInterface(hostInterface))
        {
            return false;
        }
        if (!_writesEndpoints)
        {
            return true;
        }
        var networks = addresses.Select(a => IPAddress.Parse(a) is var ip && ip.AddressFamily == AddressFamily.InterNetwork ? $"{ip}/32" : $"{ip}/128");
        try
        {
            await WriteEndpointAsync(attachment, hostInterface, networks, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CniAgentException e)
        {
            LogRegisterAtAllocationFailed(hostInterface, e.Message);
            return false;
        }
    }

    public async Task<V1.CniReleaseResponse> ReleaseAsync(V1.CniReleaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var attachment = Attachment(request.Attachment);
        var released = await InTurnAsync(Queue.PathFor(attachment.HandleId), async () =>
        {
            var count = await _ipam.ReleaseHandleAsync(attachment.HandleId, cancellationToken).ConfigureAwait(false);
            // An entry queued by an earlier DEL of the same attachment is done now too.
            PendingReleaseQueue.Remove(Queue.PathFor(attachment.HandleId));
            return count;
        }, cancellationToken).ConfigureAwait(false);
        if (request.UnregisterEndpoint)
        {
            await Guard(() => DeleteEndpointAsync(attachment.HandleId, cancellationToken)).ConfigureAwait(false);
        }
        // Only once the addresses are released: on a failure above the plugin still has the veth.
        var taken = request.DeleteHostVeth && _reaper.Poke();
        return new V1.CniReleaseResponse { Released = (uint)released, HostVethTaken = taken };
    }

    /// <summary>
    /// Records the pod's WorkloadEndpoint (sqlite, etcd; on Kubernetes the Pod describes it) and,
    /// when the request asks, answers only once its policy is in force: ADD's register and policy
    /// wait in one round trip (each extra round trip to the agent cost a pod start ~1 ms on a busy
    /// node, bench/cni-latency.sh -A -P).
    /// </summary>
    public async Task<V1.CniRegisterEndpointResponse> RegisterEndpointAsync(V1.CniRegisterEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var attachment = Attachment(request.Attachment);
        if (request.WaitTimeoutMs > 0)
        {
            // Before the write: a request the wait must refuse records nothing.
            CheckWorkloadInterface(request.HostInterface);
        }
        if (_writesEndpoints)
        {
            await WriteEndpointAsync(attachment, request.HostInterface, request.Addresses, cancellationToken).ConfigureAwait(false);
        }
        if (request.WaitTimeoutMs == 0)
        {
            return new V1.CniRegisterEndpointResponse();
        }
        var programmed = await WaitProgrammedAsync(request.HostInterface, attachment.ContainerId, requireEndpoint: true, request.WaitTimeoutMs, cancellationToken).ConfigureAwait(false);
        return new V1.CniRegisterEndpointResponse { Waited = true, Programmed = programmed };
    }

    private async Task WriteEndpointAsync((string HandleId, string ContainerId, string IfName, string Network, string Pod, string Namespace) attachment, string hostInterface, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = attachment.HandleId },
            Spec = new WorkloadEndpointSpec
            {
                Pod = attachment.Pod,
                Namespace = attachment.Namespace,
                ContainerID = attachment.ContainerId,
                Interface = attachment.IfName,
                HostInterface = hostInterface,
                IPNetworks = addresses.ToArray(),
                Node = _nodeName,
                Network = attachment.Network,
            },
        };
        var written = await Guard(async () =>
        {
            try
            {
                // A new attachment has no record: one write, no read before it.
                return await _store.CreateAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceAlreadyExistsException)
            {
                // A repeated ADD of the same attachment overwrites its record.
                return await _store.UpdateAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        // Not `_writes?.Written(await …)`: with no sink that skipped the write itself.
        _writes?.Written(written);
    }

    public async Task<V1.CniEndpointResponse> UnregisterEndpointAsync(V1.CniUnregisterEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var attachment = Attachment(request.Attachment);
        await Guard(() => DeleteEndpointAsync(attachment.HandleId, cancellationToken)).ConfigureAwait(false);
        PendingReleaseQueue.Remove(Queue.PathFor(attachment.HandleId));
        return new V1.CniEndpointResponse();
    }

    public async Task<V1.CniCheckResponse> CheckAsync(V1.CniCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var attachment = Attachment(request.Attachment);
        var expected = request.Expected.Select(a => IPAddress.TryParse(a, out var ip) ? ip : throw CniErrors.Invalid($"prevResult: '{a}' is not an address")).ToArray();
        var problems = await Guard(() => _ipam.CheckHandleAsync(attachment.HandleId, expected, cancellationToken)).ConfigureAwait(false);
        var response = new V1.CniCheckResponse();
        response.Problems.Add(problems);
        return response;
    }

    public async Task<V1.CniGcResponse> GcAsync(V1.CniGcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        if (request.Network.Length == 0)
        {
            throw CniErrors.Invalid("GC names no network");
        }
        var live = request.LiveHandles.ToHashSet(StringComparer.Ordinal);
        // The list names this node's attachments of this network only: nothing else is in scope.
        IReadOnlyList<string> released;
        using (await _turns.AloneAsync(cancellationToken).ConfigureAwait(false))
        {
            released = await Guard(() => _ipam.GcAsync(live, TimeSpan.FromSeconds(request.GracePeriodSeconds), GcScope.Of(_nodeName, request.Network), cancellationToken)).ConfigureAwait(false);
        }
        var response = new V1.CniGcResponse();
        response.Released.Add(released);
        return response;
    }

    public async Task<V1.CniStatusResponse> StatusAsync(V1.CniStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        var free = await Guard(async () =>
            (!request.Ipv4 || await _ipam.HasFreeAddressAsync(_nodeName, request.Pools, AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false))
            && (!request.Ipv6 || await _ipam.HasFreeAddressAsync(_nodeName, request.Pools, AddressFamily.InterNetworkV6, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        return free ? new V1.CniStatusResponse() : throw new CniAgentException((int)Grpc.Core.StatusCode.FailedPrecondition, CniErrors.PluginNotAvailable, "no IP pool has a free address for this node");
    }

    /// <summary>How long a CNI ADD may wait for its pod's policy at most, whatever it asks.</summary>
    public static readonly TimeSpan MaxEndpointWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// CNI ADD's wait for the pod's policy (lab notes netpol §6): answered as soon as a commit put
    /// the host veth's chains and map entries in force, or with programmed=false once the timeout
    /// ran out (the pod then stays closed; logged and counted).
    /// </summary>
    public async Task<V1.CniWaitEndpointResponse> WaitEndpointProgrammedAsync(V1.CniWaitEndpointRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckVersion(request.ApiVersion);
        CheckWorkloadInterface(request.HostInterface);
        var programmed = await WaitProgrammedAsync(request.HostInterface, request.ContainerId, request.RequireEndpoint, request.TimeoutMs, cancellationToken).ConfigureAwait(false);
        return new V1.CniWaitEndpointResponse { Programmed = programmed };
    }

    // Only a pod's host veth is ever programmed: a wait for any other name could only time out.
    private static void CheckWorkloadInterface(string hostInterface)
    {
        if (!WorkloadEndpointSpec.IsWorkloadInterface(hostInterface))
        {
            throw CniErrors.Invalid($"'{hostInterface}' is not a workload interface");
        }
    }

    private async Task<bool> WaitProgrammedAsync(string hostInterface, string containerId, bool requireEndpoint, uint timeoutMs, CancellationToken cancellationToken)
    {
        if (_acks is null)
        {
            return true;
        }
        var timeout = TimeSpan.FromMilliseconds(timeoutMs);
        timeout = timeout > MaxEndpointWait ? MaxEndpointWait : timeout;
        var programmed = await _acks.WaitAsync(hostInterface, containerId, requireEndpoint, timeout, _time, cancellationToken).ConfigureAwait(false);
        if (!programmed)
        {
            _policy?.CountWaitTimeout();
            LogWaitTimedOut(hostInterface, containerId, timeout.TotalSeconds);
        }
        return programmed;
    }

    /// <summary>
    /// Carries out every queued release (oldest first) and returns how many; a datastore failure
    /// stops the drain with the entry left in place for the next one.
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var done = 0;
        foreach (var path in Queue.List())
        {
            if (await InTurnAsync(path, () => CarryOutAsync(path, cancellationToken), cancellationToken).ConfigureAwait(false))
            {
                done++;
            }
        }
        return done;
    }

    // In the attachment's turn: the entry is read again there, so a drain and an ADD of the same
    // attachment never both act on it.
    private async Task<bool> CarryOutAsync(string path, CancellationToken cancellationToken)
    {
        if (Queue.Read(path, (file, problem) => LogCorruptEntry(file, problem)) is not { } entry)
        {
            return false;
        }
        var released = entry.ReleaseAddresses ? await _ipam.ReleaseHandleAsync(entry.HandleId, cancellationToken).ConfigureAwait(false) : 0;
        await DeleteEndpointAsync(entry.HandleId, cancellationToken).ConfigureAwait(false);
        PendingReleaseQueue.Remove(path);
        LogCarriedOut(entry.HandleId, entry.Namespace, entry.Pod, released);
        return true;
    }

    private async Task<bool> DeleteEndpointAsync(string name, CancellationToken cancellationToken)
    {
        if (!_writesEndpoints)
        {
            return false;
        }
        try
        {
            await _store.DeleteAsync<WorkloadEndpoint>(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            // DEL succeeds on what is already gone.
            return false;
        }
    }

    /// <summary>Runs <paramref name="work"/> in the turn of one attachment, keyed by its queue entry's path.</summary>
    private async Task<T> InTurnAsync<T>(string attachmentKey, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        using (await _turns.ForAsync(attachmentKey, cancellationToken).ConfigureAwait(false))
        {
            return await Guard(work).ConfigureAwait(false);
        }
    }

    private async Task<T> Guard<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not CniAgentException)
        {
            if (CniErrors.From(e) is { } known)
            {
                throw known;
            }
            LogUnexpected(e);
            throw new CniAgentException((int)Grpc.Core.StatusCode.Internal, CniErrors.IoFailure, e.Message, e);
        }
    }

    private static void CheckVersion(uint version)
    {
        if (version > ApiVersion)
        {
            throw CniErrors.Unimplemented(
                $"this routednet-node speaks CNI API version {ApiVersion.ToString(CultureInfo.InvariantCulture)}; the plugin asked for {version.ToString(CultureInfo.InvariantCulture)} (a plugin newer than its agent, during an upgrade?)");
        }
    }

    private static (string HandleId, string ContainerId, string IfName, string Network, string Pod, string Namespace) Attachment(V1.CniAttachment? attachment)
    {
        if (attachment is null || attachment.HandleId.Length == 0 || attachment.ContainerId.Length == 0 || attachment.IfName.Length == 0 || attachment.Network.Length == 0)
        {
            throw CniErrors.Invalid("the request names no attachment (handle, container id, interface and network are required)");
        }
        return (attachment.HandleId, attachment.ContainerId, attachment.IfName, attachment.Network, attachment.Pod, attachment.Namespace);
    }

    [LoggerMessage(EventId = EventIds.PolicyWaitTimedOut, Level = LogLevel.Warning, Message = "CNI ADD of {HostInterface} (container {ContainerId}): its policy was not in force within {Seconds} s; the pod stays closed until it is")]
    private partial void LogWaitTimedOut(string hostInterface, string containerId, double seconds);

    [LoggerMessage(EventId = EventIds.CniQueuedReleaseDone, Level = LogLevel.Information, Message = "Carried out the release queued by a CNI DEL while the agent was away: handle {HandleId} (pod {Namespace}/{Pod}), {Released} address(es) released")]
    private partial void LogCarriedOut(string handleId, string @namespace, string pod, int released);

    [LoggerMessage(EventId = EventIds.CniQueuedReleaseCorrupt, Level = LogLevel.Warning, Message = "Skipped an unreadable queued CNI release {Path} ({Problem}); it is kept as *.corrupt for inspection")]
    private partial void LogCorruptEntry(string path, string problem);

    [LoggerMessage(EventId = EventIds.CniRegisterAtAllocationFailed, Level = LogLevel.Warning, Message = "CNI ADD of {HostInterface}: its endpoint was not registered with its allocation ({Problem}); the plugin registers it itself")]
    private partial void LogRegisterAtAllocationFailed(string hostInterface, string problem);

    [LoggerMessage(EventId = EventIds.CniCallFailed, Level = LogLevel.Error, Message = "A CNI call failed unexpectedly")]
    private partial void LogUnexpected(Exception exception);
}
