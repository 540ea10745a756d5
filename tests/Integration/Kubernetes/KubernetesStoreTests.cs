using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Api;
using RoutedNet.Kubernetes.Store;

namespace RoutedNet.Integration.Kubernetes;

/// <summary>
/// What the kubernetes datastore adds to the store contract, against the stand-in API server:
/// the API's own compare-and-swap answers, encoded names, the core Node, and what is not stored.
/// </summary>
[Collection(KubeStoreCollection.Name)]
public sealed class KubernetesStoreTests(KubeStoreFixture kube) : IAsyncLifetime
{
    private IStore _store = null!;

    public async Task InitializeAsync()
    {
        await kube.WipeAsync();
        _store = await kube.OpenAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task UpdatePool_StaleResourceVersion_ConflictAndTheNewerValueStays()
    {
        var created = await _store.CreateAsync(Pool("p", "10.244.0.0/16"));
        await _store.UpdateAsync(created with { Spec = created.Spec with { Disabled = true } });

        await Assert.ThrowsAsync<RevisionConflictException>(() => _store.UpdateAsync(created with { Spec = created.Spec with { NodeSelector = "rack == 'r1'" } }));

        var read = await _store.GetAsync<IPPool>("p");
        Assert.True(read.Spec.Disabled);
        Assert.Equal("all()", read.Spec.NodeSelector);
    }

    [Fact]
    public async Task CreatePool_NameTaken_AlreadyExistsNotConflict()
    {
        await _store.CreateAsync(Pool("p", "10.244.0.0/16"));

        await Assert.ThrowsAsync<ResourceAlreadyExistsException>(() => _store.CreateAsync(Pool("p", "10.245.0.0/16")));
        Assert.Equal("10.244.0.0/16", (await _store.GetAsync<IPPool>("p")).Spec.Cidr);
    }

    [Fact]
    public async Task DeleteHandle_ResourceVersionPrecondition_StaleRefusedCurrentDeletes()
    {
        var created = await _store.CreateAsync(Handle("h1"));
        var updated = await _store.UpdateAsync(created with { Spec = created.Spec with { Block = new Dictionary<string, int> { ["10.244.0.0/26"] = 1 } } });

        await Assert.ThrowsAsync<RevisionConflictException>(() => _store.DeleteAsync<IPAMHandle>("h1", created.Metadata.ResourceVersion));
        Assert.NotNull(await _store.TryGetAsync<IPAMHandle>("h1"));

        await _store.DeleteAsync<IPAMHandle>("h1", updated.Metadata.ResourceVersion);
        Assert.Null(await _store.TryGetAsync<IPAMHandle>("h1"));
    }

    [Fact]
    public async Task List_SeveralPages_EveryObjectOnceFromOneSnapshot()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.CreateAsync(Handle($"h{i}"));
        }
        using var api = kube.Api();
        await kube.Server.ResetRequestCountsAsync();

        var list = await api.ListAsync(CrdKinds.ByKind[IPAMHandle.KindName], null, CancellationToken.None, pageSize: 2);

        Assert.Equal(["h0", "h1", "h2", "h3", "h4"], list.Items.Select(Name).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await kube.Server.RequestCountsAsync())["list ipamhandles.routednet.io"]);
    }

    [Fact]
    public async Task List_ContinueTokenExpired_StartsAgainAndStillEveryObjectOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.CreateAsync(Handle($"h{i}"));
        }
        using var api = kube.Api();
        // The second page request answers 410 Expired, as for a continue token whose snapshot was compacted.
        await kube.Server.AddFaultAsync("""{"verb":"list","resource":"ipamhandles.routednet.io","nth":2,"code":410,"reason":"Expired"}""");

        var list = await api.ListAsync(CrdKinds.ByKind[IPAMHandle.KindName], null, CancellationToken.None, pageSize: 2);

        Assert.Equal(["h0", "h1", "h2", "h3", "h4"], list.Items.Select(Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Handle_NameNotDns1123_StoredEncodedAndReadBackUnderItsOwnName()
    {
        await _store.CreateAsync(Handle("Net_A.c1.eth0"));
        await _store.CreateAsync(Handle("net-b.c2.eth0"));

        Assert.Equal("Net_A.c1.eth0", (await _store.GetAsync<IPAMHandle>("Net_A.c1.eth0")).Name);
        Assert.Equal(["Net_A.c1.eth0", "net-b.c2.eth0"], (await _store.ListAsync<IPAMHandle>()).Items.Select(h => h.Name));
        using var api = kube.Api();
        var stored = await api.GetAsync(CrdKinds.ByKind[IPAMHandle.KindName], ObjectNames.Encode("Net_A.c1.eth0"), CancellationToken.None);
        Assert.Equal("Net_A.c1.eth0", stored!.Value.GetProperty("metadata").GetProperty("annotations").GetProperty(ObjectNames.NameAnnotation).GetString());
        await _store.DeleteAsync<IPAMHandle>("Net_A.c1.eth0");
        Assert.Null(await _store.TryGetAsync<IPAMHandle>("Net_A.c1.eth0"));
    }

    [Fact]
    public async Task Affinity_CarriesTheNodeLabelForListingByNode()
    {
        await _store.CreateAsync(new BlockAffinity
        {
            Metadata = new ObjectMeta { Name = "n1-10-244-3-0-26" },
            Spec = new BlockAffinitySpec { Node = "n1", Cidr = "10.244.3.0/26", State = BlockAffinitySpec.StateConfirmed },
        });
        await _store.CreateAsync(new BlockAffinity
        {
            Metadata = new ObjectMeta { Name = "n2-10-244-3-64-26" },
            Spec = new BlockAffinitySpec { Node = "n2", Cidr = "10.244.3.64/26", State = BlockAffinitySpec.StateConfirmed },
        });
        using var api = kube.Api();

        var mine = await api.ListAsync(CrdKinds.ByKind[BlockAffinity.KindName], new KubeQuery(LabelSelector: $"{NodeLabels.Key}=n1"), CancellationToken.None);

        Assert.Equal(["n1-10-244-3-0-26"], mine.Items.Select(Name));
        Assert.Null((await _store.GetAsync<BlockAffinity>("n1-10-244-3-0-26")).Metadata.Labels);
    }

    [Fact]
    public async Task CreateNode_NoCoreNode_RefusedSayingToStartTheKubelet()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => _store.CreateAsync(Node("no-such-kubelet")));

        Assert.Contains("start the kubelet", error.Message, StringComparison.Ordinal);
        using var api = kube.Api();
        Assert.Null(await api.GetAsync(KubeResource.Nodes, "no-such-kubelet", CancellationToken.None));
    }

    [Fact]
    public async Task Node_CreateUpdateDelete_OnlyOurAnnotationsAndLabelsChangeOnTheCoreNode()
    {
        var created = await _store.CreateAsync(Node("n1"));
        Assert.Equal("n1", created.Metadata.Labels![KubeStoreFixture.HostnameLabel]);
        Assert.Equal("r1", created.Metadata.Labels["rack"]);

        // An update that does not carry the kubelet's label (an applied file) does not remove it.
        var updated = await _store.UpdateAsync(Node("n1") with { Metadata = new ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["rack"] = "r2" } } });
        Assert.Equal("r2", updated.Metadata.Labels!["rack"]);
        Assert.Equal("n1", updated.Metadata.Labels[KubeStoreFixture.HostnameLabel]);

        await _store.DeleteAsync<Node>("n1");

        using var api = kube.Api();
        var core = (await api.GetAsync(KubeResource.Nodes, "n1", CancellationToken.None))!.Value.GetProperty("metadata");
        Assert.Equal(["kubernetes.io/hostname"], core.GetProperty("labels").EnumerateObject().Select(p => p.Name));
        var annotations = core.TryGetProperty("annotations", out var a) ? a.EnumerateObject().Select(p => p.Name).ToList() : [];
        Assert.Empty(annotations);
        Assert.Null(await _store.TryGetAsync<Node>("n1"));
    }

    [Fact]
    public async Task Node_Drain_KeptInOneAnnotationAndReadBack_RemovedWithTheField()
    {
        await _store.CreateAsync(Node("n1"));
        var since = DateTimeOffset.Parse("2026-12-07T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var current = (await _store.TryGetAsync<Node>("n1"))!;

        var drained = await _store.UpdateAsync(current with { Spec = current.Spec with { Drain = new NodeDrain { Since = since, GracefulShutdownSeconds = 45 } } });

        Assert.Equal(new NodeDrain { Since = since, GracefulShutdownSeconds = 45 }, (await _store.TryGetAsync<Node>("n1"))!.Spec.Drain);
        using var api = kube.Api();
        var annotations = (await api.GetAsync(KubeResource.Nodes, "n1", CancellationToken.None))!.Value.GetProperty("metadata").GetProperty("annotations");
        Assert.Equal("{\"since\":\"2026-12-07T14:00:00+00:00\",\"gracefulShutdownSeconds\":45}", annotations.GetProperty("routednet.io/drain").GetString());

        await _store.UpdateAsync(drained with { Spec = drained.Spec with { Drain = null } });

        Assert.Null((await _store.TryGetAsync<Node>("n1"))!.Spec.Drain);
        annotations = (await api.GetAsync(KubeResource.Nodes, "n1", CancellationToken.None))!.Value.GetProperty("metadata").GetProperty("annotations");
        Assert.False(annotations.TryGetProperty("routednet.io/drain", out _));
        await _store.DeleteAsync<Node>("n1");
    }

    [Fact]
    public async Task WorkloadEndpoint_Write_RefusedSayingItIsDerivedFromPods()
    {
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "w" },
            Spec = new WorkloadEndpointSpec
            {
                Pod = "p", Namespace = "default", ContainerID = "c1", Interface = "eth0", HostInterface = "rnta",
                IPNetworks = ["10.244.1.4/32"], Node = "n1",
            },
        };

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => _store.CreateAsync(endpoint));

        Assert.Contains("derives them from the Pods", error.Message, StringComparison.Ordinal);
        Assert.Empty((await _store.ListAsync<WorkloadEndpoint>()).Items);
    }

    internal static IPPool Pool(string name, string cidr) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new IPPoolSpec { Cidr = cidr, NodeSelector = "all()" },
    };

    internal static IPAMHandle Handle(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new IPAMHandleSpec { HandleId = name, Block = new Dictionary<string, int>() },
    };

    private static Node Node(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["rack"] = "r1" } },
        Spec = new NodeSpec { Addresses = ["172.18.0.2/24"], AsNumber = 64512 },
    };

    private static string Name(System.Text.Json.JsonElement item) => item.GetProperty("metadata").GetProperty("name").GetString()!;
}
