using RoutedNet.Datastore.Resources;
using RoutedNet.Integration.Kubernetes;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// `routednetctl apply -f` and `get services` with `--datastore kubernetes` against the stand-in API
/// server (issue 17): a kubectl user's core v1 Service (ports, selector and all) is written to the
/// API as it is, applied again as an update; `get` lists it with its addresses, its EndpointSlices'
/// ready endpoints and what the nodes announce for each address under BGPConfiguration's lists; a
/// Service carrying endpoints of its own (the sqlite shape) is refused with one line, as the
/// cluster makes them.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesServiceCtlTests(KubeStoreFixture kube) : IAsyncLifetime, IDisposable
{
    private const string Ns = "x";

    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-kubestore-svc-").FullName;

    public Task InitializeAsync() => kube.WipeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ApplyCoreService_WrittenWholeToTheApi_GetShowsAddressesEndpointsAndWhatIsAnnounced()
    {
        var flags = new[] { "--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath };
        var config = Path.Combine(_dir, "bgp.yaml");
        await File.WriteAllTextAsync(config, """
            apiVersion: routednet.io/v1
            kind: BGPConfiguration
            metadata: {name: default}
            spec:
              serviceClusterIPs: [{cidr: 10.96.0.0/12}]
              serviceExternalIPs: [{cidr: 198.51.100.0/24}]
            """);
        Assert.True((await CtlAsync([.. flags, "apply", "-f", config])).Succeeded);
        // The nodes' agents have registered (RoutedNet's fields on the kubelets' Nodes).
        await using (var store = await kube.OpenAsync())
        {
            foreach (var (node, address) in new[] { ("n1", "172.18.0.2/24"), ("n2", "172.18.0.3/24") })
            {
                await store.CreateAsync(new Node { Metadata = new ObjectMeta { Name = node }, Spec = new NodeSpec { Addresses = [address] } });
            }
        }
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, Web(port: 80));

        var apply = await CtlAsync([.. flags, "apply", "-f", file]);

        Assert.True(apply.Succeeded, apply.Stderr);
        Assert.Contains($"Service \"{Ns}/web\" applied", apply.Stdout, StringComparison.Ordinal);
        Assert.Equal((80, 8080, "web"), await CoreServiceAsync());
        // The cluster's EndpointSlice controller would write this from the selector: one ready endpoint on n1, one terminating on n2.
        await kube.Server.PostYamlAsync($"/apis/discovery.k8s.io/v1/namespaces/{Ns}/endpointslices", """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-abcde, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints:
            - {addresses: [10.244.1.5], nodeName: n1, conditions: {ready: true}}
            - {addresses: [10.244.2.5], nodeName: n2, conditions: {ready: false}}
            ports: [{name: http, port: 8080, protocol: TCP}]
            """);

        var get = await CtlAsync([.. flags, "get", "services", "-n", Ns]);

        Assert.True(get.Succeeded, get.Stderr);
        var lines = get.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ANNOUNCED", lines[0], StringComparison.Ordinal);
        var web = Assert.Single(lines, l => l.StartsWith($"{Ns} ", StringComparison.Ordinal) && l.Contains(" web ", StringComparison.Ordinal));
        foreach (var expected in (string[])["LoadBalancer", "10.96.0.10", "198.51.100.10", "Local", "1/2 ready on n1",
            "10.96.0.10/32 from n1, in 10.96.0.0/12", "198.51.100.10/32 from n1, in 198.51.100.0/24", "203.0.113.9 not announced"])
        {
            Assert.True(web.Contains(expected, StringComparison.Ordinal), $"{expected} not in: {get.Stdout}");
        }

        // Applied again with another port: an update of the same object, the endpoints untouched.
        await File.WriteAllTextAsync(file, Web(port: 8443));
        var again = await CtlAsync([.. flags, "apply", "-f", file]);
        Assert.True(again.Succeeded, again.Stderr);
        Assert.Equal((8443, 8080, "web"), await CoreServiceAsync());
        // What `get -o yaml` prints applies as it is (its endpoints are the slices' own).
        var yaml = await CtlAsync([.. flags, "get", "service", "web", "-n", Ns, "-o", "yaml"]);
        Assert.Contains("nodeName: n1", yaml.Stdout, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, yaml.Stdout);
        var roundTrip = await CtlAsync([.. flags, "apply", "-f", file]);
        Assert.True(roundTrip.Succeeded, roundTrip.Stderr);
    }

    [Fact]
    public async Task ApplyServiceWithItsOwnEndpoints_RefusedInOneLine()
    {
        var file = Path.Combine(_dir, "lab.yaml");
        await File.WriteAllTextAsync(file, $$$"""
            apiVersion: routednet.io/v1
            kind: Service
            metadata: {name: lab, namespace: {{{Ns}}} }
            spec: {type: LoadBalancer, externalTrafficPolicy: Local}
            endpoints: [{addresses: [10.244.1.5], nodeName: n1, conditions: {ready: true}}]
            """);

        var apply = await CtlAsync("--datastore", "kubernetes", "--kubeconfig", kube.Server.KubeconfigPath, "apply", "-f", file);

        Assert.NotEqual(0, apply.ExitCode);
        Assert.Contains("EndpointSlices", Assert.Single(apply.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        using var api = kube.Api();
        Assert.Null(await api.GetAsync(KubeResource.Services, "lab", CancellationToken.None, Ns));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Web(int port) => $$$"""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: {{{Ns}}}, labels: {app: web}}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{name: http, protocol: TCP, port: {{{port}}}, targetPort: 8080}]
          clusterIP: 10.96.0.10
          externalIPs: [198.51.100.10, 203.0.113.9]
          externalTrafficPolicy: Local
          sessionAffinity: None
        """;

    /// <summary>The core Service as the API server holds it: its port, target port and selector.</summary>
    private async Task<(int Port, int TargetPort, string Selector)> CoreServiceAsync()
    {
        using var api = kube.Api();
        var service = (await api.GetAsync(KubeResource.Services, "web", CancellationToken.None, Ns))!.Value;
        var spec = service.GetProperty("spec");
        var port = spec.GetProperty("ports")[0];
        return (port.GetProperty("port").GetInt32(), port.GetProperty("targetPort").GetInt32(), spec.GetProperty("selector").GetProperty("app").GetString()!);
    }

    private static Task<ProcessResult> CtlAsync(params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), args, env: new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = null,
            ["ROUTEDNET_DATASTORE"] = null,
        });
}
