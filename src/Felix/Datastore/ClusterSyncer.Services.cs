using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Kubernetes;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Datastore;

public sealed partial class ClusterSyncer
{
    // The kubernetes datastore's Services (issue 17): the core Services and the discovery.k8s.io/v1
    // EndpointSlices, listed and watched straight on the API, joined by the view. Both read with
    // the routednet.io Service's contract: the core Service's spec/status fields have the same
    // names, and an EndpointSlice's metadata and endpoints are that record's metadata and endpoints.
    private Task FollowKubeServices(KubeApi api, CancellationToken stoppingToken) => Task.WhenAll(
        FollowKube(api, KubeResource.Services, view => view.KubeServices, (view, all) => view.KubeServices = all, stoppingToken),
        FollowKube(api, KubeResource.EndpointSlices, view => view.KubeEndpointSlices, (view, all) => view.KubeEndpointSlices = all, stoppingToken));

    private Task FollowKube(
        KubeApi api,
        KubeResource resource,
        Func<ClusterView, Dictionary<string, Service>?> current,
        Action<ClusterView, Dictionary<string, Service>> replace,
        CancellationToken stoppingToken) =>
        new KubeObjectWatcher<Service>(api, resource, KubeQuery.All, KubeServices.Read, _time).RunAsync(
            (items, _) => Post(view => replace(view, items.ToDictionary(Key, StringComparer.Ordinal))),
            (item, deleted, _) => Post(view =>
            {
                if (current(view) is not { } all)
                {
                    return;
                }
                if (deleted)
                {
                    all.Remove(Key(item));
                }
                else
                {
                    all[Key(item)] = item;
                }
            }),
            error => ReportKubeFailure(resource.Kind, error),
            stoppingToken);


    private static string Key(Service service) => (service.Metadata.Namespace ?? "") + "/" + service.Name;
}
