using System.CommandLine;
using System.Globalization;
using System.Net;
using RoutedNet.Ctl.Output;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Policy;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `policy explain --from NS/POD --to NS/POD --port 80/tcp [-o json|yaml]`: the policy model
/// (RoutedNet.Policy.PolicyModel, the same the agents enforce) over what the datastore holds:
/// egress at the source, ingress at the destination, the tiers and policies that selected each
/// and the rule that decided. Exits 0 whatever the verdict; an unknown pod is a one-line error.
/// On Kubernetes the pods are read from the API (every pod with an address), as the agents read them.
/// </summary>
internal static class PolicyExplainCommand
{
    public static Command Build(Option<string?> datastore)
    {
        var from = new Option<string>("--from") { Description = "The source: NAMESPACE/POD, or an IP address", Required = true };
        var to = new Option<string>("--to") { Description = "The destination: NAMESPACE/POD, or an IP address", Required = true };
        var port = new Option<string>("--port") { Description = "PORT/PROTOCOL (80/tcp, 53/udp, 81/sctp; the protocol defaults to tcp), or a protocol without ports (icmp, icmpv6, a number)", Required = true };
        var output = OutputOption.Create();
        var command = new Command("explain", "Which policies and rules allow or deny a flow between two pods, from the datastore (the model the agents enforce)") { from, to, port, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var (protocol, number) = ParsePort(parse.GetValue(port)!);
            var snapshot = await LoadAsync(store, parse.GetValue(datastore)).ConfigureAwait(false);
            foreach (var invalid in snapshot.Invalid)
            {
                await Console.Error.WriteLineAsync($"warning: policy {invalid.Id} is left out: {invalid.Reason}").ConfigureAwait(false);
            }
            var source = End(snapshot, parse.GetValue(from)!, "--from");
            var destination = End(snapshot, parse.GetValue(to)!, "--to");
            if (source.Address.AddressFamily != destination.Address.AddressFamily && source.Endpoint is { } s && destination.Endpoint is not null)
            {
                source = s.Addresses.FirstOrDefault(a => a.AddressFamily == destination.Address.AddressFamily) is { } same ? source with { Address = same } : source;
            }
            var flow = new Flow(source, destination, protocol, number);
            var verdict = PolicyModel.Evaluate(snapshot, flow);
            Console.Write(PolicyExplainView.Render(flow, verdict, parse.GetValue(output)));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Reads the endpoints, namespaces and policies the model needs. On Kubernetes no
    /// WorkloadEndpoints are stored (each agent derives its own pods'): the pods are the API's
    /// Pods by their status IPs, the namespaces its Namespaces, as the agents see them.
    /// </summary>
    public static async Task<PolicySnapshot> LoadAsync(IStore store, string? datastore)
    {
        ArgumentNullException.ThrowIfNull(store);
        IReadOnlyList<WorkloadEndpoint> endpoints;
        IReadOnlyList<Namespace> namespaces;
        if (DatastoreUrl.Resolve(datastore).Kind == DatastoreKind.Kubernetes)
        {
            using var api = KubeApi.Open(KubeconfigFlag.Current);
            var pods = await api.ListAsync(KubeResource.Pods, KubeQuery.All, CancellationToken.None).ConfigureAwait(false);
            endpoints = pods.Items.Select(PodSummaries.FromJson).Where(PodEndpoints.HasOwnAddresses).Select(p => PodEndpoints.FromStatus(p)).ToList();
            var coreNamespaces = await api.ListAsync(KubeResource.Namespaces, KubeQuery.All, CancellationToken.None).ConfigureAwait(false);
            namespaces = coreNamespaces.Items.Select(PodSummaries.NamespaceFromJson)
                .Select(n => new Namespace { Metadata = new ObjectMeta { Name = n.Name, Labels = n.Labels } })
                .ToList();
        }
        else
        {
            endpoints = (await store.ListAsync<WorkloadEndpoint>().ConfigureAwait(false)).Items;
            namespaces = (await store.ListAsync<Namespace>().ConfigureAwait(false)).Items;
        }
        var policies = (await store.ListAsync<NetworkPolicy>().ConfigureAwait(false)).Items;
        var global = (await store.ListAsync<GlobalNetworkPolicy>().ConfigureAwait(false)).Items;
        var kubernetes = (await store.ListAsync<KubernetesNetworkPolicy>().ConfigureAwait(false)).Items;
        return PolicySnapshot.Create(
            WorkloadEndpoints.ToPolicyEndpoints(endpoints),
            WorkloadEndpoints.Namespaces(namespaces, endpoints),
            policies,
            global,
            kubernetes);
    }

    internal static FlowEnd End(PolicySnapshot snapshot, string text, string option)
    {
        if (IPAddress.TryParse(text, out var address))
        {
            return snapshot.End(address);
        }
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            throw new CtlException($"{option} \"{text}\": expected NAMESPACE/POD or an IP address");
        }
        var endpoint = snapshot.FindEndpoint(text[..slash], text[(slash + 1)..])
            ?? throw new CtlException(CtlExitCode.Problem, $"{option} {text}: no such pod (no WorkloadEndpoint for pod {text[(slash + 1)..]} in namespace {text[..slash]})");
        if (endpoint.Addresses.Count == 0)
        {
            throw new CtlException(CtlExitCode.Problem, $"{option} {text}: the pod has no address yet");
        }
        return FlowEnd.Of(endpoint);
    }

    internal static (int Protocol, int? Port) ParsePort(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var (portText, protocolText) = slash < 0
            ? (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? (text, "tcp") : (null, text))
            : (text[..slash], text[(slash + 1)..]);
        if (!Protocols.TryParse(protocolText, out var protocol))
        {
            throw new CtlException($"--port \"{text}\": unknown protocol \"{protocolText}\" (tcp, udp, sctp, icmp, icmpv6, udplite or a number)");
        }
        if (portText is null)
        {
            return Protocols.HasPorts(protocol)
                ? throw new CtlException($"--port \"{text}\": {Protocols.Name(protocol)} needs a port, e.g. 80/{protocolText}")
                : (protocol, null);
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CtlException($"--port \"{text}\": the port must be 1–65535");
        }
        if (!Protocols.HasPorts(protocol))
        {
            throw new CtlException($"--port \"{text}\": {Protocols.Name(protocol)} has no ports");
        }
        return (protocol, port);
    }
}
