using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Policy;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// The policy model's table for what the datastore holds now (the pods' WorkloadEndpoints, the
/// namespaces, every policy): checked against the case's expectation before probing, so a
/// disagreement between the case file and the model (the agent's own oracle) is reported apart
/// from a dataplane that does not do what the model says.
/// </summary>
internal static class NetpolModelCheck
{
    public static async Task<PolicySnapshot> SnapshotAsync(IStore store, CancellationToken cancellationToken)
    {
        var endpoints = (await store.ListAsync<WorkloadEndpoint>(cancellationToken).ConfigureAwait(false)).Items
            .Select(e => new PolicyEndpoint(
                e.Spec.Namespace,
                e.Spec.Pod,
                e.Metadata.Labels,
                [.. e.Spec.IPNetworks.Select(n => IPNetwork.Parse(n).BaseAddress)],
                e.Spec.ServiceAccount,
                [.. (e.Spec.Ports ?? []).Select(p => new NamedPort(p.Name, Protocols.TryParse(p.Protocol, out var number) ? number : 0, p.Port))],
                e.Spec.Node));
        return PolicySnapshot.Create(
            endpoints,
            (await store.ListAsync<Namespace>(cancellationToken).ConfigureAwait(false)).Items,
            (await store.ListAsync<NetworkPolicy>(cancellationToken).ConfigureAwait(false)).Items,
            (await store.ListAsync<GlobalNetworkPolicy>(cancellationToken).ConfigureAwait(false)).Items,
            (await store.ListAsync<KubernetesNetworkPolicy>(cancellationToken).ConfigureAwait(false)).Items);
    }

    /// <summary>The model's 81 cells for one probe line; '?' where a pod has no endpoint in the snapshot.</summary>
    public static string Matrix(PolicySnapshot snapshot, IReadOnlyList<LabPod> pods, NetpolProbe probe)
    {
        Protocols.TryParse(probe.Protocol, out var protocol);
        var cells = new char[pods.Count * pods.Count];
        for (var from = 0; from < pods.Count; from++)
        {
            for (var to = 0; to < pods.Count; to++)
            {
                var source = snapshot.FindEndpoint(pods[from].PodNamespace, pods[from].PodName!);
                var destination = snapshot.FindEndpoint(pods[to].PodNamespace, pods[to].PodName!);
                cells[(from * pods.Count) + to] = from == to ? '-'
                    : source is null || destination is null ? '?'
                    : PolicyModel.Evaluate(snapshot, Flow.Between(source, destination, protocol, probe.Port)).Allowed ? '.' : 'X';
            }
        }
        return new string(cells);
    }
}
