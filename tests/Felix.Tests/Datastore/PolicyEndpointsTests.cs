using System.Net;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Tests.Datastore;

/// <summary>
/// Policy's inputs on the kubernetes datastore: this node's pods are its derived endpoints, the
/// other nodes' pods are subjects from their Pods (so a selector on this node's rules matches a
/// remote pod's address), and pods that have no address of their own are nobody's.
/// </summary>
public sealed class PolicyEndpointsTests
{
    private const string Node = "n1";

    private static readonly LocalAttachment Record =
        new("k8s", HostVethName.For("shop", "web-0", "c0", "eth0"), "c0", "eth0", [IPNetwork.Parse("10.244.1.5/32")]);

    private static PodSummary Pod(string name, string? node, string ip, bool hostNetwork = false, bool finished = false) =>
        new("shop", name, node, hostNetwork, new Dictionary<string, string> { ["app"] = name.Split('-')[0] }, ip.Length == 0 ? [] : [ip], "sa-" + name, [new EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }], finished);

    private static ClusterView View(params PodSummary[] pods)
    {
        var view = new ClusterView
        {
            Pods = pods.ToDictionary(p => p.Key, StringComparer.Ordinal),
            NamespaceLabels = new() { ["shop"] = new Dictionary<string, string> { ["team"] = "web" } },
        };
        view.ReplaceLocalAttachments([Record]);
        view.DeriveWorkloadEndpoints(Node);
        return view;
    }

    [Fact]
    public void Inputs_Kubernetes_RemotePodsAreSubjectsWithLabelsAccountPortsAndNode()
    {
        var inputs = new PolicyEndpoints(Node).Inputs(View(Pod("web-0", Node, "10.244.1.5"), Pod("client-1", "n2", "10.244.2.7")));

        var local = Assert.Single(inputs.LocalEndpoints);
        Assert.Equal(Record.HostInterface, local.HostInterface);
        var remote = inputs.Snapshot!.FindEndpoint(IPAddress.Parse("10.244.2.7"));
        Assert.NotNull(remote);
        Assert.Equal(("shop", "client-1", "n2", "sa-client-1"), (remote.Namespace, remote.Name, remote.Node, remote.ServiceAccount));
        Assert.Equal("client", remote.Labels["app"]);
        Assert.Equal(8080, Assert.Single(remote.Ports).Port);
        // The local pod once, from its endpoint.
        Assert.Equal(2, inputs.Snapshot.Endpoints.Count);
        Assert.Equal("web-0", inputs.Snapshot.FindEndpoint(IPAddress.Parse("10.244.1.5"))!.Name);
    }

    [Fact]
    public void Inputs_Kubernetes_NamespaceRelabelledOrDeleted_NextSnapshotSeesIt()
    {
        var view = View(Pod("web-0", Node, "10.244.1.5"));
        var endpoints = new PolicyEndpoints(Node);
        Assert.Equal("web", endpoints.Inputs(view).Snapshot!.NamespaceLabels("shop")["team"]);

        view.SetNamespaceLabels("shop", new Dictionary<string, string> { ["team"] = "payments" });
        Assert.Equal("payments", endpoints.Inputs(view).Snapshot!.NamespaceLabels("shop")["team"]);

        view.SetNamespaceLabels("shop", null);
        Assert.False(endpoints.Inputs(view).Snapshot!.NamespaceLabels("shop").ContainsKey("team"));
    }

    [Fact]
    public void Inputs_Kubernetes_HostNetworkFinishedUnscheduledAndAddresslessPods_NoSubjects()
    {
        var inputs = new PolicyEndpoints(Node).Inputs(
            View(
                Pod("web-0", Node, "10.244.1.5"),
                Pod("proxy-1", "n2", "172.18.0.3", hostNetwork: true),
                Pod("job-1", "n2", "10.244.2.9", finished: true),
                Pod("pending-1", null, ""),
                Pod("starting-1", "n2", "")));

        Assert.Equal(["web-0"], inputs.Snapshot!.Endpoints.Select(e => e.Name));
        Assert.Null(inputs.Snapshot.FindEndpoint(IPAddress.Parse("10.244.2.9")));
    }

    [Fact]
    public void Local_RecordAwaitingItsEndpoint_ClosedUntilTheEndpointComes_RecordWithoutDatastoreOpen()
    {
        var awaiting = new LocalAttachment("k8s", "rn00000000000a1", "c1", "eth0", [IPNetwork.Parse("10.244.1.9/32")]) { AwaitsEndpoint = true };
        var plain = new LocalAttachment("k8s", "rn00000000000b2", "c2", "eth0", [IPNetwork.Parse("10.244.1.10/32")]);
        var view = new ClusterView();
        view.ReplaceLocalAttachments([awaiting, plain]);

        // Not in the table's maps: the table drops an unknown rn* interface both ways.
        Assert.Equal(["rn00000000000b2"], PolicyEndpoints.Local(view, Node).Select(e => e.HostInterface));

        view.WorkloadEndpoints.Upsert(new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "k8s.c1.eth0" },
            Spec = new WorkloadEndpointSpec { Namespace = "shop", Pod = "web-9", Node = Node, HostInterface = "rn00000000000a1", ContainerID = "c1", IPNetworks = ["10.244.1.9/32"] },
        });

        var local = PolicyEndpoints.Local(view, Node).Single(e => e.HostInterface == "rn00000000000a1");
        Assert.Equal("web-9", local.Subject!.Name);
    }
}
