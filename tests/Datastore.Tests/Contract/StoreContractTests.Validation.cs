using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

public abstract partial class StoreContractTests
{
    [Theory]
    [MemberData(nameof(ValidationFixtures.InvalidPools), MemberType = typeof(ValidationFixtures))]
    public async Task CreatePool_Invalid_ThrowsValidationNamingTheProblemAndStoresNothing(string cidr, string expected, int? blockSize)
    {
        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPool("bad", cidr, blockSize)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("IPPool \"bad\"", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task CreatePool_OverlapsExistingPool_ThrowsValidationNamingTheOther()
    {
        await Store.CreateAsync(NewPool("wide", "10.244.0.0/16"));

        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPool("inner", "10.244.8.0/21")));

        Assert.Contains("overlaps IPPool \"wide\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePool_ItsOwnRange_IsNotAnOverlap()
    {
        var pool = await Store.CreateAsync(NewPool("p", "10.244.0.0/16"));
        await Store.CreateAsync(NewPool("v6", "fd00:244::/56"));

        var updated = await Store.UpdateAsync(pool with { Spec = pool.Spec with { Disabled = true } });

        Assert.True(updated.Spec.Disabled);
    }

    [Fact]
    public async Task Create_BadName_ThrowsValidation()
    {
        await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewNode("a/b")));
        await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewNode("")));
    }

    [Theory]
    [MemberData(nameof(ValidationFixtures.BadSelectors), MemberType = typeof(ValidationFixtures))]
    public async Task CreatePool_NodeSelectorDoesNotParse_ThrowsValidationAndStoresNothing(string selector)
    {
        var pool = NewPool("p", "10.244.0.0/16") with { Spec = new IPPoolSpec { Cidr = "10.244.0.0/16", NodeSelector = selector } };

        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(pool));

        Assert.Contains("IPPool \"p\": spec.nodeSelector", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync<IPPool>()).Items);
    }

    [Fact]
    public async Task CreatePeer_NodeSelectorDoesNotParse_ThrowsValidation()
    {
        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPeer("tor", new BGPPeerSpec
        {
            PeerIP = "172.18.0.1", AsNumber = 64500, NodeSelector = "rack in {r1}",
        })));

        Assert.Contains("BGPPeer \"tor\": spec.nodeSelector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValidationFixtures.TooLongPasswords), MemberType = typeof(ValidationFixtures))]
    public async Task CreatePeer_PasswordLongerThanTcpMd5Allows_ThrowsValidationNamingTheLimit(int length, char c)
    {
        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewPeer("tor", new BGPPeerSpec
        {
            PeerIP = "172.18.0.1", AsNumber = 64500, Password = new string(c, length),
        })));

        Assert.Contains("spec.password", error.Message, StringComparison.Ordinal);
        Assert.Contains("80 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string(c, length), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePeer_Password80Bytes_Accepted()
    {
        var peer = await Store.CreateAsync(NewPeer("tor", new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, Password = new string('x', 80) }));

        Assert.Equal(80, peer.Spec.Password!.Length);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("all")]
    [InlineData("lo")]
    [InlineData("default")]
    [InlineData("rn")]
    [InlineData("rn0123456789abcd")]
    [InlineData("rn/../x")]
    [InlineData("rn x")]
    public async Task CreateWorkloadEndpoint_HostInterfaceNotAWorkloadInterface_ThrowsValidation(string hostInterface)
    {
        var error = await Assert.ThrowsAsync<ResourceValidationException>(() => Store.CreateAsync(NewEndpoint("w", hostInterface)));

        Assert.Contains("spec.hostInterface", error.Message, StringComparison.Ordinal);
        Assert.Empty((await Store.ListAsync<WorkloadEndpoint>()).Items);
    }

    [Theory]
    [InlineData("rn0123456789abc")]
    [InlineData("rnta")]
    public async Task CreateWorkloadEndpoint_WorkloadInterface_Accepted(string hostInterface)
    {
        WorkloadEndpoint endpoint;
        try
        {
            endpoint = await Store.CreateAsync(NewEndpoint("w", hostInterface));
        }
        catch (NotSupportedException e)
        {
            // Validation let it through; the kubernetes datastore keeps no WorkloadEndpoints
            // (routednet-node derives them from Pods) and says so.
            Assert.Contains("WorkloadEndpoints are not stored", e.Message, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(hostInterface, endpoint.Spec.HostInterface);
    }

    private static BGPPeer NewPeer(string name, BGPPeerSpec spec) => new() { Metadata = new ObjectMeta { Name = name }, Spec = spec };

    private static WorkloadEndpoint NewEndpoint(string name, string hostInterface) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new WorkloadEndpointSpec
        {
            Pod = "p", Namespace = "default", ContainerID = "c1", Interface = "eth0", HostInterface = hostInterface,
            IPNetworks = ["10.244.1.4/32"], Node = "n1",
        },
    };
}
