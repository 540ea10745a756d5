using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy.Tests.Conformance;

/// <summary>
/// The conformance layout (namespaces x, y, z; pods a, b, c; named ports serve-80/81-tcp/udp/sctp)
/// and the state a case builds on it, evaluated by <see cref="PolicyModel"/>.
/// </summary>
internal sealed class NetpolWorld
{
    public static readonly string[] Namespaces = ["x", "y", "z"];
    public static readonly string[] Pods = ["a", "b", "c"];

    private readonly Dictionary<string, Dictionary<string, string>> _podLabels = [];
    private readonly Dictionary<string, Dictionary<string, string>> _namespaceLabels = [];
    private readonly Dictionary<(string Kind, string? Namespace, string Name), Resource> _policies = [];

    public NetpolWorld()
    {
        foreach (var ns in Namespaces)
        {
            _namespaceLabels[ns] = new() { ["ns"] = ns, [Namespace.NameLabel] = ns };
            foreach (var pod in Pods)
            {
                _podLabels[$"{ns}/{pod}"] = new() { ["pod"] = pod };
            }
        }
    }

    public static IEnumerable<string> PodIds => Namespaces.SelectMany(ns => Pods.Select(p => $"{ns}/{p}"));

    /// <summary>x/a is 10.244.1.1, x/b 10.244.1.2, y/a 10.244.2.1, ...</summary>
    public static IPAddress AddressOf(string pod)
    {
        var (ns, name) = (pod[..pod.IndexOf('/', StringComparison.Ordinal)], pod[(pod.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        return IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.244.{Array.IndexOf(Namespaces, ns) + 1}.{Array.IndexOf(Pods, name) + 1}"));
    }

    public static string Substitute(string document) =>
        PodIds.Aggregate(document, (text, pod) => text.Replace("${ip:" + pod + "}", AddressOf(pod).ToString(), StringComparison.Ordinal));

    public void Run(NetpolStep step)
    {
        foreach (var document in step.Apply)
        {
            var resource = Parse(document);
            _policies[Key(resource)] = resource;
        }
        foreach (var document in step.Delete)
        {
            Assert.True(_policies.Remove(Key(Parse(document))), $"delete of an object that is not there: {document}");
        }
        Relabel(_podLabels, step.LabelPods);
        Relabel(_namespaceLabels, step.LabelNamespaces);
    }

    public PolicySnapshot Snapshot()
    {
        var ports = new List<NamedPort>();
        foreach (var port in new[] { 80, 81 })
        {
            foreach (var (name, number) in new[] { ("tcp", Protocols.Tcp), ("udp", Protocols.Udp), ("sctp", Protocols.Sctp) })
            {
                ports.Add(new NamedPort(string.Create(CultureInfo.InvariantCulture, $"serve-{port}-{name}"), number, port));
            }
        }
        var endpoints = PodIds.Select(id => new PolicyEndpoint(id[..1], id[2..], _podLabels[id], [AddressOf(id)], "default", ports));
        var namespaces = _namespaceLabels.Select(p => new Namespace { Metadata = new ObjectMeta { Name = p.Key, Labels = p.Value } });
        return PolicySnapshot.Create(
            endpoints,
            namespaces,
            _policies.Values.OfType<NetworkPolicy>(),
            _policies.Values.OfType<GlobalNetworkPolicy>(),
            _policies.Values.OfType<KubernetesNetworkPolicy>());
    }

    /// <summary>The 81 cells the model gives for one probe, loopback as '-' (<see cref="PolicyModel.Evaluate(PolicySnapshot, Flow)"/>, or <see cref="PolicyModel.IsAllowed"/> without <paramref name="explain"/>).</summary>
    public static string Matrix(PolicySnapshot snapshot, string protocol, int port, bool explain = true)
    {
        Assert.True(Protocols.TryParse(protocol, out var number), protocol);
        var cells = new char[81];
        var pods = PodIds.ToArray();
        for (var from = 0; from < 9; from++)
        {
            for (var to = 0; to < 9; to++)
            {
                if (from == to)
                {
                    cells[(from * 9) + to] = '-';
                    continue;
                }
                var source = snapshot.FindEndpoint(pods[from][..1], pods[from][2..])!;
                var destination = snapshot.FindEndpoint(pods[to][..1], pods[to][2..])!;
                var flow = Flow.Between(source, destination, number, port);
                var allowed = explain ? PolicyModel.Evaluate(snapshot, flow).Allowed : PolicyModel.IsAllowed(snapshot, flow);
                cells[(from * 9) + to] = allowed ? '.' : 'X';
            }
        }
        return new string(cells);
    }

    /// <summary>The matrix with row and column names, for a failure message.</summary>
    public static string Format(string cells)
    {
        var pods = PodIds.ToArray();
        var lines = new List<string> { "       " + string.Join(' ', pods.Select(p => p.PadRight(3))) };
        for (var row = 0; row < 9; row++)
        {
            lines.Add(pods[row].PadRight(6) + " " + string.Join(' ', cells.Substring(row * 9, 9).Select(c => c.ToString().PadRight(3))));
        }
        return string.Join('\n', lines);
    }

    private static Resource Parse(string document)
    {
        var json = YamlJson.Parse(Substitute(document))!.AsObject();
        var text = json.ToJsonString();
        return ((string?)json["apiVersion"], (string?)json["kind"]) switch
        {
            (KubernetesNetworkPolicy.KubernetesApiVersion, "NetworkPolicy") => JsonSerializer.Deserialize(text, DatastoreJsonContext.Default.KubernetesNetworkPolicy)!,
            (Resource.GroupVersion, "NetworkPolicy") => JsonSerializer.Deserialize(text, DatastoreJsonContext.Default.NetworkPolicy)!,
            (Resource.GroupVersion, "GlobalNetworkPolicy") => JsonSerializer.Deserialize(text, DatastoreJsonContext.Default.GlobalNetworkPolicy)!,
            var other => throw new InvalidOperationException($"cases.yaml: unknown document kind {other}"),
        };
    }

    private static (string, string?, string) Key(Resource resource) => (resource.GetType().Name, resource.Metadata.Namespace, resource.Name);

    private static void Relabel(Dictionary<string, Dictionary<string, string>> target, IReadOnlyDictionary<string, Dictionary<string, string?>> changes)
    {
        foreach (var (id, labels) in changes)
        {
            Assert.True(target.ContainsKey(id), $"no such pod or namespace {id}");
            foreach (var (key, value) in labels)
            {
                if (value is null)
                {
                    target[id].Remove(key);
                }
                else
                {
                    target[id][key] = value;
                }
            }
        }
    }
}
