using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Cni;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Kubernetes;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Reconcilers.Sysctls;
using RoutedNet.Felix.Workloads;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Datastore;

/// <summary>
/// The datastore side of the agent: registers the Node, follows every kind it needs with a
/// <see cref="ResourceWatcher{T}"/>, and after each batch of changes recomputes this node's
/// <see cref="DesiredState"/> and hands it to the reconcilers and the BGP host. One loop owns the
/// <see cref="ClusterView"/>; watchers only post changes to it. Nothing is pushed before every
/// kind has been listed once, so the reconcilers never sweep on a half-known cluster.
/// </summary>
public sealed partial class ClusterSyncer : BackgroundService
{
    private readonly IStore _store;
    private readonly AgentOptions _options;
    private readonly NodeAddressChoice _addresses;
    private readonly RouteReconciler _routes;
    private readonly SysctlReconciler _sysctls;
    private readonly BgpBackendHost _bgp;
    private readonly PolicyReconciler _policy;
    private readonly NodeState _node;
    private readonly HealthRegistry _health;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterSyncer> _logger;
    private readonly KubeApi? _kubeApi;
    private readonly PeerSecrets? _peerSecrets;
    // Each change returns whether it may have changed what the agent computes from the view: false
    // only when it certainly did not (the watch's echo of an endpoint the agent wrote and took
    // already), so that a batch of such changes skips the full pass: at 1,000 policies each pass
    // recomputes routes, BGP and policy inputs beside a CNI ADD that waits on the same two cores.
    private readonly Channel<Func<ClusterView, bool>> _changes = Channel.CreateUnbounded<Func<ClusterView, bool>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ClusterView _view = new();
    private readonly PolicyEndpoints _policyEndpoints;
    private readonly HashSet<string> _reportedProblems = new(StringComparer.Ordinal);
    private Dictionary<string, HostVeth> _pushedVeths = new(StringComparer.Ordinal);
    private Task _reRegistration = Task.CompletedTask;
    private Task _networkCondition = Task.CompletedTask;
    private CancellationToken _stopping;
    private bool _synced;

    public ClusterSyncer(
        IStore store,
        AgentOptions options,
        NodeAddressChoice addresses,
        RouteReconciler routes,
        SysctlReconciler sysctls,
        BgpBackendHost bgp,
        PolicyReconciler policy,
        NodeState node,
        HealthRegistry health,
        TimeProvider time,
        ILogger<ClusterSyncer> logger,
        KubeApi? kubeApi = null,
        EndpointWrites? endpointWrites = null)
    {
        _kubeApi = kubeApi;
        // The endpoints this agent wrote for its CNI ADDs, taken before the watch brings them back.
        endpointWrites?.Attach(endpoint => PostReportingChange(view => view.WorkloadEndpoints.Upsert(endpoint)));
        if (kubeApi is not null)
        {
            _peerSecrets = new PeerSecrets(kubeApi, AgentNamespace.Resolve(options.PodNamespace), options.ResyncInterval, time, logger);
            _view.PeerPasswords = new Dictionary<SecretKeyReference, string>();
            _view.PeerPasswordNamespace = _peerSecrets.Namespace;
        }
        _store = store;
        _options = options;
        _policyEndpoints = new PolicyEndpoints(options.NodeName);
        _addresses = addresses;
        _routes = routes;
        _sysctls = sysctls;
        _bgp = bgp;
        _policy = policy;
        _node = node;
        _health = health;
        _time = time;
        _logger = logger;
        health.Register(HealthRegistry.Datastore);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _health.ReportWaiting(HealthRegistry.Datastore, "registering the node");
        LogAddressChosen(string.Join(", ", _addresses.Addresses), _addresses.How);
        await RegisterAsync(stoppingToken).ConfigureAwait(false);
        _health.ReportWaiting(HealthRegistry.Datastore, "listing resources");

        Task[] watchers =
        [
            Follow(v => v.Nodes, stoppingToken, policyRelevant: false),
            // On Kubernetes the WorkloadEndpoints are not in the datastore: they are the Pods of
            // this node joined with the plugin's records (the CNI path writes nothing per pod).
            _kubeApi is null ? Follow(v => v.WorkloadEndpoints, stoppingToken, policyRelevant: true) : FollowPods(_kubeApi, stoppingToken),
            _kubeApi is null ? Task.CompletedTask : FollowNamespaces(_kubeApi, stoppingToken),
            Follow(v => v.Blocks, stoppingToken, policyRelevant: false),
            Follow(v => v.Peers, stoppingToken, policyRelevant: false),
            Follow(v => v.BgpConfigurations, stoppingToken, policyRelevant: false),
            Follow(v => v.BgpFilters, stoppingToken, policyRelevant: false),
            Follow(v => v.Pools, stoppingToken, policyRelevant: false),
            _kubeApi is null ? Follow(v => v.Services, stoppingToken, policyRelevant: false) : FollowKubeServices(_kubeApi, stoppingToken),
            // Policy (issue 16), in every datastore: on Kubernetes the policy kinds are the API's
            // own networking.k8s.io NetworkPolicies and the routednet.io CRDs, read through the same
            // store; the Namespaces there are the core ones (FollowNamespaces), so the store's
            // Namespace kind is known to be empty.
            Follow(v => v.NetworkPolicies, stoppingToken, policyRelevant: true),
            Follow(v => v.GlobalNetworkPolicies, stoppingToken, policyRelevant: true),
            Follow(v => v.KubernetesNetworkPolicies, stoppingToken, policyRelevant: true),
            _kubeApi is null ? Follow(v => v.Namespaces, stoppingToken, policyRelevant: true) : NamespacesAreCore(),
            FollowLocalAttachments(stoppingToken),
            _peerSecrets is null ? Task.CompletedTask : _peerSecrets.RunAsync(keys => Post(view => view.PeerPasswords = keys), stoppingToken),
        ];
        while (await _changes.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            var changed = false;
            while (_changes.Reader.TryRead(out var change))
            {
                changed |= change(_view);
            }
            if (!changed)
            {
                // Same view, maybe a newer revision: the policy loop enforces it with the table it has.
                if (_synced && _view.PolicyInSync)
                {
                    _policy.SeeRevision(_view.PolicyRevision);
                }
                continue;
            }
            if (_kubeApi is not null)
            {
                _view.DeriveWorkloadEndpoints(_options.NodeName);
                _view.DeriveServices();
            }
            _peerSecrets?.Want(_view.Peers.Items.Values.Select(p => p.Spec.PasswordSecretRef).OfType<SecretKeyReference>());
            if (_view.InSync)
            {
                KeepNodeRegistered(stoppingToken);
                Publish();
            }
        }
        await Task.WhenAll(watchers).ConfigureAwait(false);
    }

    private Task NamespacesAreCore()
    {
        Post(view => view.Namespaces.ReplaceAll([]));
        return Task.CompletedTask;
    }

    /// <summary>A change that may alter anything the agent computes.</summary>
    private void Post(Action<ClusterView> change) => _changes.Writer.TryWrite(view =>
    {
        change(view);
        return true;
    });

    /// <summary>A change that returns false when it left the view as it was.</summary>
    private void PostReportingChange(Func<ClusterView, bool> change) => _changes.Writer.TryWrite(change);

    private async Task RegisterAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(ResourceWatcher<Node>.MinRetry, ResourceWatcher<Node>.MaxRetry);
        while (true)
        {
            try
            {
                await NodeRegistrar.RegisterAsync(_store, _options.NodeName, _addresses.Addresses, stoppingToken).ConfigureAwait(false);
                LogRegistered(_options.NodeName);
                return;
            }
            catch (DatastoreException e)
            {
                _health.ReportFailure(HealthRegistry.Datastore, $"registering the node: {e.Message}");
                LogWatchFailed("Node", e.Message);
                await backoff.DelayAsync(_time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    // The agent keeps its Node: deleted or given other addresses behind its back (an operator's
    // delete or apply), it is written again as registration writes it, keeping what others set on
    // it. Meanwhile this node computes as if the write had landed, so that its own sessions and
    // routes do not flap for a Node that is about to return.
    private void KeepNodeRegistered(CancellationToken stoppingToken)
    {
        var me = _view.Nodes.Items.GetValueOrDefault(_options.NodeName);
        if (NodeRegistrar.IsRegistered(me, _addresses.Addresses))
        {
            return;
        }
        _view.Nodes.Upsert(NodeRegistrar.Registered(me, _options.NodeName, _addresses.Addresses));
        if (_reRegistration.IsCompleted)
        {
            LogNodeRestored(_options.NodeName, me is null ? "deleted" : "given other addresses");
            _reRegistration = RegisterAsync(stoppingToken);
        }
    }

    // Kinds that are policy-relevant also move the revision the node reports as enforced.
    private Task Follow<T>(Func<ClusterView, ResourceCache<T>> cache, CancellationToken stoppingToken, bool policyRelevant)
        where T : Resource, IResourceKind<T> =>
        new ResourceWatcher<T>(_store, _time).RunAsync(
            (items, revision) => PostReportingChange(view =>
            {
                if (policyRelevant)
                {
                    view.SeePolicyRevision(revision);
                }
                return cache(view).ReplaceAll(items);
            }),
            change => PostReportingChange(view =>
            {
                if (policyRelevant)
                {
                    view.SeePolicyRevision(change.ResourceVersion);
                }
                return change.Type == WatchEventType.Deleted ? cache(view).Remove(change.Object) : cache(view).Upsert(change.Object);
            }),
            error =>
            {
                _health.ReportFailure(HealthRegistry.Datastore, $"{T.KindName}: {error.Message}");
                LogWatchFailed(T.KindName, error.Message);
            },
            stoppingToken);

    // Every Pod of the cluster, not only this node's: policy selects remote pods too (their
    // addresses fill the selector sets of this node's rules), as Calico's Felix does with the
    // kubernetes datastore. What is kept per pod is its summary (labels, IPs, node, service
    // account, named ports), never the whole object.
    private Task FollowPods(KubeApi api, CancellationToken stoppingToken) =>
        new KubeObjectWatcher<PodSummary>(api, KubeResource.Pods, KubeQuery.All, PodSummaries.FromJson, _time).RunAsync(
            (pods, revision) => Post(view =>
            {
                view.Pods = pods.ToDictionary(p => p.Key, StringComparer.Ordinal);
                view.SeePolicyRevision(revision);
            }),
            (pod, deleted, revision) => Post(view =>
            {
                view.SeePolicyRevision(revision);
                view.SetPod(pod, deleted);
            }),
            error => ReportKubeFailure("Pod", error),
            stoppingToken);

    private Task FollowNamespaces(KubeApi api, CancellationToken stoppingToken) =>
        new KubeObjectWatcher<(string Name, IReadOnlyDictionary<string, string> Labels)>(api, KubeResource.Namespaces, KubeQuery.All, PodSummaries.NamespaceFromJson, _time).RunAsync(
            (namespaces, revision) => Post(view =>
            {
                view.NamespaceLabels = namespaces.ToDictionary(n => n.Name, n => n.Labels, StringComparer.Ordinal);
                view.SeePolicyRevision(revision);
            }),
            (ns, deleted, revision) => Post(view =>
            {
                view.SeePolicyRevision(revision);
                view.SetNamespaceLabels(ns.Name, deleted ? null : ns.Labels);
            }),
            error => ReportKubeFailure("Namespace", error),
            stoppingToken);

    // Once, when the node is first programmed; retried with backoff while the API cannot take it.
    // Never fatal: the condition is informative for schedulers, routing works without it.
    private async Task SetNetworkAvailableAsync(KubeApi api, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(ResourceWatcher<Node>.MinRetry, ResourceWatcher<Node>.MaxRetry);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await NetworkCondition.SetAvailableAsync(api, _options.NodeName, _time, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (DatastoreException e)
            {
                LogWatchFailed($"Node condition {NetworkCondition.Type}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            try
            {
                await backoff.DelayAsync(_time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void ReportKubeFailure(string kind, Exception error)
    {
        _health.ReportFailure(HealthRegistry.Datastore, $"{kind}: {error.Message}");
        LogWatchFailed(kind, error.Message);
    }

    // Not from the datastore: the plugin's records on this node's disk, so that pods wired without
    // a datastore (host-local, no WorkloadEndpoint) are known and their routes kept.
    private Task FollowLocalAttachments(CancellationToken stoppingToken) =>
        new LocalAttachmentWatcher(_options.CniDataDir, _options.ResyncInterval, _time).RunAsync(
            attachments => Post(view => view.ReplaceLocalAttachments(attachments)),
            LogLocalAttachmentsFailed,
            stoppingToken);

    private void Publish()
    {
        var state = DesiredStateCalculator.Compute(_view, _options.NodeName);
        foreach (var problem in state.Problems.Where(_reportedProblems.Add))
        {
            LogBadResource(problem);
        }
        _node.PublishWorkloadEndpoints([.. _view.WorkloadEndpoints.InPartition(_options.NodeName).Values]);
        _routes.ReplaceRoutes(RouteKind.Workload, state.WorkloadRoutes);
        _routes.ReplaceRoutes(RouteKind.Blackhole, state.AllBlackholes());
        PushVeths(state.HostVeths);
        // Never before every policy kind is listed: "no policy" would open a node whose table
        // (left by the agent before this one) still enforces.
        if (_view.PolicyInSync)
        {
            _policy.Publish(_policyEndpoints.Inputs(_view));
        }

        var me = _view.Nodes.Items.GetValueOrDefault(_options.NodeName);
        var addresses = me?.Spec.Addresses.Select(a => IPAddress.Parse(a.Split('/')[0])).ToList() ?? [];
        var routerId = RouterIds.For(addresses, _options.NodeName);
        _node.Publish(new NodeSummary(
            _options.NodeName, addresses, state.AsNumber, state.AsNumberSource, routerId,
            state.Blackholes.Keys.Order(NetworkOrder.Instance).ToList()));
        var clusterId = me?.Spec.RouteReflectorClusterID is { } id && IPAddress.TryParse(id, out var parsed) ? parsed : null;
        _bgp.SetDrain(me?.Spec.Drain);
        _bgp.Configure(new BgpLocalConfig(state.AsNumber, routerId, addresses, state.ListenPort, clusterId, RestartingWithRoutesKept: false));
        _bgp.SetPeers(state.Peers, new BgpImport(state.Pools, state.NodeOwned) { ServiceRanges = state.Services.Configured });
        _bgp.SetAdvertisements(state.Advertisements);
        _node.PublishAdvertised(AdvertisementReasons.Of(state));

        if (!_synced)
        {
            _synced = true;
            _routes.MarkInSync(RouteKind.Workload);
            _routes.MarkInSync(RouteKind.Blackhole);
            _sysctls.MarkInSync();
            LogSynced(state.WorkloadRoutes.Count, state.Blackholes.Count, state.Peers.Count);
            if (_kubeApi is not null)
            {
                _networkCondition = SetNetworkAvailableAsync(_kubeApi, _stopping);
            }
        }
        _health.ReportReady(HealthRegistry.Datastore);
    }

    private void PushVeths(IReadOnlyDictionary<string, HostVeth> veths)
    {
        foreach (var (device, families) in veths)
        {
            if (!_pushedVeths.TryGetValue(device, out var pushed) || pushed != families)
            {
                _sysctls.SetInterface(device, families.IPv4, families.IPv6);
            }
        }
        foreach (var gone in _pushedVeths.Keys.Where(d => !veths.ContainsKey(d)))
        {
            _sysctls.RemoveInterface(gone);
        }
        _pushedVeths = new Dictionary<string, HostVeth>(veths, StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = EventIds.NodeAddressChosen, Level = LogLevel.Information, Message = "Node address {Addresses} from {How}")]
    private partial void LogAddressChosen(string addresses, string how);

    [LoggerMessage(EventId = EventIds.NodeRegistered, Level = LogLevel.Information, Message = "Node {NodeName} registered")]
    private partial void LogRegistered(string nodeName);

    [LoggerMessage(EventId = EventIds.NodeRestored, Level = LogLevel.Warning, Message = "Node {NodeName} was {What} in the datastore; registering it again")]
    private partial void LogNodeRestored(string nodeName, string what);

    [LoggerMessage(EventId = EventIds.DatastoreWatchFailed, Level = LogLevel.Warning, Message = "Datastore: {Kind}: {Error}; retrying")]
    private partial void LogWatchFailed(string kind, string error);

    [LoggerMessage(EventId = EventIds.LocalAttachmentsFailed, Level = LogLevel.Warning, Message = "CNI attachment records: {Error}")]
    private partial void LogLocalAttachmentsFailed(string error);

    [LoggerMessage(EventId = EventIds.BadResourceIgnored, Level = LogLevel.Warning, Message = "Ignored: {Problem}")]
    private partial void LogBadResource(string problem);

    [LoggerMessage(EventId = EventIds.DatastoreSynced, Level = LogLevel.Information, Message = "Datastore in sync: {Workloads} pod routes, {Blocks} blocks, {Peers} BGP peers")]
    private partial void LogSynced(int workloads, int blocks, int peers);
}
