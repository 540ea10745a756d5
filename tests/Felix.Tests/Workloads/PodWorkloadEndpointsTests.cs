using System.Net;
using System.Text.Json;
using RoutedNet.Kubernetes.Pods;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Tests.Workloads;

/// <summary>The kubernetes datastore's WorkloadEndpoints: the Pods of this node joined with the plugin's attachment records.</summary>
public sealed class PodWorkloadEndpointsTests
{
    private const string Node = "n1";

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Namespaces = new(StringComparer.Ordinal)
    {
        ["shop"] = new Dictionary<string, string> { ["team"] = "web", [PodWorkloadEndpoints.NamespaceNameLabel] = "shop" },
        ["bare"] = new Dictionary<string, string> { ["env"] = "dev" },
    };

    private static PodSummary Pod(string ns, string name, string? node = Node, bool hostNetwork = false, Dictionary<string, string>? labels = null, params string[] ips) =>
        new(ns, name, node, hostNetwork, labels ?? [], ips);

    // As the plugin records it: the veth named from "namespace/pod" (and "/ifname" past eth0).
    private static LocalAttachment Record(string ns, string pod, string container, string ifName = "eth0", params string[] addresses) =>
        new("k8s", HostVethName.For(ns, pod, container, ifName), container, ifName, addresses.Select(IPNetwork.Parse).ToList());

    private static List<WorkloadEndpoint> Derive(IEnumerable<PodSummary> pods, params LocalAttachment[] records) =>
        PodWorkloadEndpoints.Derive(pods, Namespaces, records, Node);

    [Fact]
    public void Derive_PodWithRecord_EndpointHasPodLabelsNamespaceLabelsAndWhatIsWired()
    {
        var record = Record("shop", "web-0", "c0ffee", "eth0", "10.244.1.5/32", "fd00::5/128");

        var endpoint = Assert.Single(Derive([Pod("shop", "web-0", labels: new() { ["app"] = "web", ["tier"] = "front" }, ips: ["10.244.1.5", "fd00::5"])], record));

        Assert.Equal("k8s.c0ffee.eth0", endpoint.Name);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, endpoint.Metadata.Labels);
        Assert.Equal(Namespaces["shop"], endpoint.Spec.NamespaceLabels);
        Assert.Equal(("shop", "web-0", Node), (endpoint.Spec.Namespace, endpoint.Spec.Pod, endpoint.Spec.Node));
        Assert.Equal(("c0ffee", "eth0", record.HostInterface, "k8s"), (endpoint.Spec.ContainerID, endpoint.Spec.Interface, endpoint.Spec.HostInterface, endpoint.Spec.Network));
        Assert.Equal(["10.244.1.5/32", "fd00::5/128"], endpoint.Spec.IPNetworks);
    }

    [Fact]
    public void Derive_NamespaceWithoutNameLabelOrUnknown_GetsTheNameLabelAsTheApiServerSetsIt()
    {
        var endpoints = Derive(
            [Pod("bare", "a"), Pod("unlisted", "b")],
            Record("bare", "a", "ca", "eth0", "10.244.1.6/32"),
            Record("unlisted", "b", "cb", "eth0", "10.244.1.7/32"));

        Assert.Equal(new Dictionary<string, string> { ["env"] = "dev", [PodWorkloadEndpoints.NamespaceNameLabel] = "bare" }, endpoints[0].Spec.NamespaceLabels);
        Assert.Equal(new Dictionary<string, string> { [PodWorkloadEndpoints.NamespaceNameLabel] = "unlisted" }, endpoints[1].Spec.NamespaceLabels);
    }

    [Fact]
    public void Derive_RecordNamedFromTheContainerId_MatchedThroughThePodIPs()
    {
        // A runtime that passed no K8S_POD_NAME: the plugin named the veth from the container id.
        var record = new LocalAttachment("k8s", HostVethName.For(null, null, "c9", "eth0"), "c9", "eth0", [IPNetwork.Parse("10.244.1.9/32")]);

        var endpoint = Assert.Single(Derive([Pod("shop", "api-1", ips: "10.244.1.9"), Pod("shop", "api-2", ips: "10.244.1.10")], record));

        Assert.Equal(("api-1", "c9"), (endpoint.Spec.Pod, endpoint.Spec.ContainerID));
    }

    [Fact]
    public void Derive_PodNotWiredHostNetworkOrOnAnotherNode_NoEndpoint()
    {
        var endpoints = Derive(
            [
                Pod("shop", "pending"),
                Pod("kube-system", "proxy", hostNetwork: true, ips: "172.18.0.11"),
                Pod("shop", "elsewhere", node: "n2", ips: "10.244.1.12"),
            ],
            new LocalAttachment("k8s", HostVethName.For(null, null, "cx", "eth0"), "cx", "eth0", [IPNetwork.Parse("172.18.0.11/32")]),
            Record("shop", "elsewhere", "ce", "eth0", "10.244.1.12/32"));

        Assert.Empty(endpoints);
    }

    [Fact]
    public void Derive_PodDeleted_ItsEndpointGoesTheOthersStay()
    {
        var records = new[] { Record("shop", "web-0", "c0", "eth0", "10.244.1.5/32"), Record("shop", "web-1", "c1", "eth0", "10.244.1.6/32") };
        Assert.Equal(2, Derive([Pod("shop", "web-0"), Pod("shop", "web-1")], records).Count);

        var endpoint = Assert.Single(Derive([Pod("shop", "web-1")], records));

        Assert.Equal("web-1", endpoint.Spec.Pod);
    }

    [Fact]
    public void Derive_SecondInterface_OneEndpointPerAttachment()
    {
        var endpoints = Derive(
            [Pod("shop", "multi")],
            Record("shop", "multi", "cm", "eth0", "10.244.1.20/32"),
            Record("shop", "multi", "cm", "net1", "10.244.1.21/32"));

        Assert.Equal(["k8s.cm.eth0", "k8s.cm.net1"], endpoints.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FromJson_ApiPod_KeepsNamespaceNameNodeLabelsAndEveryPodIP()
    {
        var summary = PodSummaries.FromJson(JsonDocument.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-0","namespace":"shop","labels":{"app":"web"},"resourceVersion":"7"},
             "spec":{"nodeName":"n1","containers":[{"name":"c","image":"x"}]},
             "status":{"phase":"Running","podIP":"10.244.1.5","podIPs":[{"ip":"10.244.1.5"},{"ip":"fd00::5"}]}}
            """).RootElement);

        Assert.Equal(("shop", "web-0", Node, false), (summary.Namespace, summary.Name, summary.NodeName, summary.HostNetwork));
        Assert.Equal(["10.244.1.5", "fd00::5"], summary.PodIPs);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, summary.Labels);
        Assert.False(summary.Finished);
    }

    [Theory]
    [InlineData("Succeeded", true)]
    [InlineData("Failed", true)]
    [InlineData("Running", false)]
    [InlineData("Pending", false)]
    public void FromJson_Phase_FinishedOnlyWhenSucceededOrFailed(string phase, bool finished)
    {
        var summary = PodSummaries.FromJson(JsonDocument.Parse($$$"""
            {"metadata":{"name":"job-0","namespace":"batch"},"spec":{"nodeName":"n2"},"status":{"phase":"{{{phase}}}","podIPs":[{"ip":"10.244.2.9"}]}}
            """).RootElement);

        Assert.Equal(finished, summary.Finished);
    }

    [Fact]
    public void FromJson_ApiPod_KeepsServiceAccountAndEveryNamedContainerPort()
    {
        var summary = PodSummaries.FromJson(JsonDocument.Parse("""
            {"metadata":{"name":"a","namespace":"x"},
             "spec":{"serviceAccountName":"web","containers":[
               {"name":"c1","ports":[{"name":"serve-80-tcp","containerPort":80,"protocol":"TCP"},{"containerPort":9090}]},
               {"name":"c2","ports":[{"name":"serve-81-udp","containerPort":81,"protocol":"UDP"},{"name":"plain","containerPort":82}]}],
              "initContainers":[{"name":"sidecar","restartPolicy":"Always","ports":[{"name":"serve-80-sctp","containerPort":80,"protocol":"SCTP"}]}]}}
            """).RootElement);

        Assert.Equal("web", summary.ServiceAccount);
        Assert.Equal(
            [new EndpointPort { Name = "serve-80-tcp", Protocol = "TCP", Port = 80 }, new EndpointPort { Name = "serve-81-udp", Protocol = "UDP", Port = 81 },
             new EndpointPort { Name = "plain", Protocol = "TCP", Port = 82 }, new EndpointPort { Name = "serve-80-sctp", Protocol = "SCTP", Port = 80 }],
            summary.Ports!);
    }

    [Fact]
    public void Derive_PodWithServiceAccountAndPorts_EndpointCarriesThem()
    {
        var ports = new[] { new EndpointPort { Name = "serve-81-tcp", Port = 81 } };
        var endpoint = Assert.Single(Derive([Pod("shop", "web-0") with { ServiceAccount = "web", Ports = ports }], Record("shop", "web-0", "c1", "eth0", "10.244.1.5/32")));

        Assert.Equal("web", endpoint.Spec.ServiceAccount);
        Assert.Equal(ports, endpoint.Spec.Ports);
    }

    [Fact]
    public void FromJson_HostNetworkPodBeforeItsIPs_NoIPsNoLabels()
    {
        var summary = PodSummaries.FromJson(JsonDocument.Parse("""
            {"metadata":{"name":"proxy","namespace":"kube-system"},"spec":{"nodeName":"n1","hostNetwork":true},"status":{"phase":"Pending"}}
            """).RootElement);

        Assert.True(summary.HostNetwork);
        Assert.Empty(summary.PodIPs);
        Assert.Empty(summary.Labels);
    }

    [Fact]
    public void FromJson_OnlyPodIP_Kept()
    {
        var summary = PodSummaries.FromJson(JsonDocument.Parse("""{"metadata":{"name":"a","namespace":"b"},"status":{"podIP":"10.244.1.8"}}""").RootElement);

        Assert.Equal(["10.244.1.8"], summary.PodIPs);
        Assert.Null(summary.NodeName);
    }

    [Fact]
    public void NamespaceFromJson_NameAndLabels()
    {
        var (name, labels) = PodSummaries.NamespaceFromJson(JsonDocument.Parse("""
            {"metadata":{"name":"shop","labels":{"kubernetes.io/metadata.name":"shop","team":"web"}}}
            """).RootElement);

        Assert.Equal("shop", name);
        Assert.Equal("web", labels["team"]);
    }
}
