using System.Net;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Tests.Datastore;

/// <summary>The kubernetes datastore's endpoints in the agent's view: derived only once everything they come from is known.</summary>
public sealed class ClusterViewTests
{
    private static readonly LocalAttachment Record =
        new("k8s", HostVethName.For("shop", "web-0", "c0", "eth0"), "c0", "eth0", [IPNetwork.Parse("10.244.1.5/32")]);

    private static PodSummary Pod => new("shop", "web-0", "n1", false, new Dictionary<string, string> { ["app"] = "web" }, ["10.244.1.5"]);

    [Fact]
    public void DeriveWorkloadEndpoints_BeforePodsNamespacesAndRecordsAreListed_NotListedSoNotInSync()
    {
        var view = new ClusterView();
        view.Pods = new Dictionary<string, PodSummary> { [Pod.Key] = Pod };
        view.ReplaceLocalAttachments([Record]);

        view.DeriveWorkloadEndpoints("n1");

        // Without the Namespaces an endpoint would lack its namespace labels: nothing is derived yet.
        Assert.False(view.WorkloadEndpoints.Listed);
    }

    [Fact]
    public void DeriveWorkloadEndpoints_AllListed_EndpointsReplacedAndRouted()
    {
        var view = new ClusterView();
        view.Pods = new Dictionary<string, PodSummary> { [Pod.Key] = Pod };
        view.NamespaceLabels = new() { ["shop"] = new Dictionary<string, string> { ["team"] = "web" } };
        view.ReplaceLocalAttachments([Record]);

        view.DeriveWorkloadEndpoints("n1");
        Assert.Equal("web", Assert.Single(view.WorkloadEndpoints.Items.Values).Spec.NamespaceLabels!["team"]);

        view.SetPod(Pod, deleted: true);
        view.DeriveWorkloadEndpoints("n1");

        Assert.True(view.WorkloadEndpoints.Listed);
        Assert.Empty(view.WorkloadEndpoints.Items);
    }
}
