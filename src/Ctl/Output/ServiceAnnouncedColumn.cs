using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Services;

namespace RoutedNet.Ctl.Output;

/// <summary>
/// `get services`' ANNOUNCED column: for each of a Service's addresses (cluster, external and
/// load-balancer IPs), what the nodes announce for it over BGP, worked out as every node's agent
/// works it out (<see cref="ServiceAnnouncer"/>) from the same store: its /32 (/128) and from which
/// nodes, the BGPConfiguration range it lies in, or that nothing is announced for it.
/// </summary>
internal sealed class ServiceAnnouncedColumn
{
    public const string Header = "ANNOUNCED";

    private readonly BGPConfigurationSpec? _config;
    private readonly IReadOnlyList<Node> _nodes;

    private ServiceAnnouncedColumn(BGPConfigurationSpec? config, IReadOnlyList<Node> nodes)
    {
        _config = config;
        _nodes = nodes;
    }

    public static async Task<ServiceAnnouncedColumn> LoadAsync(IStore store, CancellationToken cancellationToken)
    {
        var config = await store.TryGetAsync<BGPConfiguration>(BGPConfigurationSpec.DefaultName, cancellationToken).ConfigureAwait(false);
        var nodes = await store.ListAsync<Node>(cancellationToken).ConfigureAwait(false);
        return new ServiceAnnouncedColumn(config?.Spec, nodes.Items);
    }

    public string ValueOf(Resource resource)
    {
        if (resource is not Service service)
        {
            return "";
        }
        var byNode = _nodes.Select(n => (n.Name, Announced: ServiceAnnouncer.Compute(_config, n, n.Name, [service]))).ToList();
        var addresses = service.Spec.AllClusterIPs()
            .Concat(service.Spec.ExternalIPs ?? [])
            .Concat(service.Status.LoadBalancer?.Ingress.Select(i => i.Ip).OfType<string>() ?? [])
            .Distinct(StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var text in addresses)
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                continue;
            }
            var host = new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            var from = byNode.Where(n => n.Announced.Prefixes.ContainsKey(host)).Select(n => n.Name).ToList();
            var range = byNode.SelectMany(n => n.Announced.Ranges).Where(r => r.Contains(address)).Select(r => (IPNetwork?)r).FirstOrDefault();
            parts.Add((from.Count, range) switch
            {
                ( > 0, { } r) => $"{host} from {string.Join(",", from)}, in {r}",
                ( > 0, null) => $"{host} from {string.Join(",", from)}",
                (0, { } r) => $"{text} in {r}",
                _ => $"{text} not announced",
            });
        }
        return parts.Count == 0 ? "-" : string.Join("; ", parts);
    }
}
