using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// The upstream conformance layout on the lab: namespaces x, y, z (labelled ns=NAME), pods a, b, c
/// in each (labelled pod=NAME) serving TCP, UDP and SCTP on 80 and 81 under the names
/// serve-PORT-PROTO, placed as a Latin square (lab notes netpol §4) so every namespace spans every
/// node and every case crosses nodes and stays on one: node1 x/a y/b z/c, node2 x/b y/c z/a,
/// node3 x/c y/a z/b. Pods already there from an earlier run are reused.
/// </summary>
internal static class NetpolLayout
{
    public static readonly string[] Namespaces = ["x", "y", "z"];
    public static readonly string[] PodNames = ["a", "b", "c"];

    /// <summary>The 9 pods in matrix order: x/a x/b x/c y/a … z/c.</summary>
    public static IEnumerable<string> PodIds => Namespaces.SelectMany(ns => PodNames.Select(p => $"{ns}/{p}"));

    public static IReadOnlyDictionary<string, string> BasePodLabels(string pod) => new Dictionary<string, string> { ["pod"] = pod };

    public static IReadOnlyDictionary<string, string> BaseNamespaceLabels(string ns) => new Dictionary<string, string> { ["ns"] = ns };

    /// <summary>Node index (0-based) of pod <paramref name="pod"/> of namespace index <paramref name="ns"/>: (pod - ns) mod 3.</summary>
    public static int NodeOf(int ns, int pod, int nodes) => (((pod - ns) % 3) + 3) % 3 % nodes;

    public static List<EndpointPort> Ports() =>
    [
        .. new[] { 80, 81 }.SelectMany(port => new[] { "TCP", "UDP", "SCTP" }.Select(protocol =>
            new EndpointPort { Name = string.Create(CultureInfo.InvariantCulture, $"serve-{port}-{protocol.ToLowerInvariant()}"), Protocol = protocol, Port = port })),
    ];

    /// <summary>The namespaces (labelled), then the pods not there yet; the 9 pods in matrix order.</summary>
    public static async Task<IReadOnlyList<LabPod>> EnsureAsync(Lab lab, LabState state, IStore store, CancellationToken cancellationToken)
    {
        if (state.Nodes.Count < 3)
        {
            throw new CtlException(CtlExitCode.Problem, $"lab netpol needs 3 nodes (the lab has {state.Nodes.Count}): `routednetctl lab up --nodes 3`");
        }
        foreach (var ns in Namespaces)
        {
            await PodNamespaces.CreateIfMissingAsync(store, ns, cancellationToken, BaseNamespaceLabels(ns)).ConfigureAwait(false);
        }
        var pods = new List<LabPod>();
        for (var n = 0; n < Namespaces.Length; n++)
        {
            for (var p = 0; p < PodNames.Length; p++)
            {
                var id = $"{Namespaces[n]}/{PodNames[p]}";
                var pod = state.Pods.FirstOrDefault(existing => existing.Identity == id)
                    ?? lab.AddPod(state, state.Nodes[NodeOf(n, p, 3)], new PodIdentity(Namespaces[n], PodNames[p], new(BasePodLabels(PodNames[p])), Ports()));
                pods.Add(pod);
            }
        }
        return pods;
    }
}
