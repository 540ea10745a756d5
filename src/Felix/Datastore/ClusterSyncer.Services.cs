namespace RoutedNet.Felix.Datastore;

public sealed partial class ClusterSyncer
{
    // The kubernetes datastore's Services are the core Services joined with their EndpointSlices;
    // until that reader exists the node announces only the configured ranges there.
    private Task FollowKubeServices(RoutedNet.Kubernetes.Api.KubeApi api, CancellationToken stoppingToken)
    {
        _ = api;
        _ = stoppingToken;
        _changes.Writer.TryWrite(view => view.Services.ReplaceAll([]));
        return Task.CompletedTask;
    }
}
