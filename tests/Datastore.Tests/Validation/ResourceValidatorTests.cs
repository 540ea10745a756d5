using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Tests.Contract;
using RoutedNet.Datastore.Validation;

namespace RoutedNet.Datastore.Tests.Validation;

/// <summary>Rules beyond the pool checks the contract suite runs against every backend.</summary>
public sealed class ResourceValidatorTests
{
    [Theory]
    [MemberData(nameof(ValidationFixtures.ValidPools), MemberType = typeof(ValidationFixtures))]
    public void Pool_ValidRangeAndBlockSize_Passes(string cidr, int blockSize)
    {
        ResourceValidator.Validate(Pool(cidr, blockSize));
    }

    [Theory]
    [MemberData(nameof(ValidationFixtures.InvalidPools), MemberType = typeof(ValidationFixtures))]
    public void Pool_Invalid_Throws(string cidr, string expected, int? blockSize)
    {
        var error = Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(Pool(cidr, blockSize)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlap_DifferentFamilies_IsNone()
    {
        ResourceValidator.CheckNoOverlap(Pool("10.0.0.0/8", null), [Pool("fd00::/8", null) with { Metadata = new ObjectMeta { Name = "v6" } }]);
    }

    [Theory]
    [MemberData(nameof(ValidationFixtures.BadHoldTimes), MemberType = typeof(ValidationFixtures))]
    public void Peer_HoldTimeOneTwoOrTooLarge_Throws(int holdTime)
    {
        Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(Peer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 65000, HoldTime = holdTime })));
    }

    [Theory]
    [MemberData(nameof(ValidationFixtures.BadPeerAddressOrAs), MemberType = typeof(ValidationFixtures))]
    public void Peer_BadAddressOrAs_Throws(string peerIp, uint asNumber)
    {
        Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(Peer(new BGPPeerSpec { PeerIP = peerIp, AsNumber = asNumber })));
    }

    [Fact]
    public void Peer_NodeAndSelectorTogether_Throws()
    {
        var error = Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(
            Peer(new BGPPeerSpec { PeerIP = "fd00::1", AsNumber = 65000, Node = "n1", NodeSelector = "all()" })));

        Assert.Contains("exclusive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_PasswordSecretRef_Passes()
    {
        ResourceValidator.Validate(Peer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, PasswordSecretRef = new SecretKeyReference { Name = "tor-bgp", Key = "md5.key_1" } }));
    }

    [Fact]
    public void Peer_PasswordAndSecretRefTogether_RefusedAsExclusive()
    {
        var error = Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(Peer(new BGPPeerSpec
        {
            PeerIP = "172.18.0.1", AsNumber = 64500, Password = "s3cret", PasswordSecretRef = new SecretKeyReference { Name = "tor-bgp", Key = "password" },
        })));

        Assert.Equal("BGPPeer \"peer\": spec.password and spec.passwordSecretRef are exclusive", error.Message);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Tor_BGP", "password", "spec.passwordSecretRef.name \"Tor_BGP\" is not a Secret name")]
    [InlineData("", "password", "spec.passwordSecretRef.name \"\" is not a Secret name")]
    [InlineData("tor-bgp", "pass word", "spec.passwordSecretRef.key \"pass word\" is not a Secret key")]
    [InlineData("tor-bgp", "", "spec.passwordSecretRef.key \"\" is not a Secret key")]
    public void Peer_SecretRefThatCannotNameASecret_RefusedNamingTheField(string name, string key, string expected)
    {
        var error = Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(
            Peer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, PasswordSecretRef = new SecretKeyReference { Name = name, Key = key } })));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_Valid_Passes()
    {
        ResourceValidator.Validate(Peer(new BGPPeerSpec { PeerIP = "fd00::1", AsNumber = 65000, HoldTime = 0, KeepaliveTime = 0 }));
    }

    [Fact]
    public void Endpoint_HostBitsInNetwork_Throws()
    {
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "e" },
            Spec = new WorkloadEndpointSpec { Node = "n1", IPNetworks = ["10.244.1.4/24"] },
        };

        Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(endpoint));
    }

    [Theory]
    [InlineData("", "TCP", 80)]
    [InlineData("http", "ICMP", 80)]
    [InlineData("http", "tcp", 80)]
    [InlineData("http", "TCP", 0)]
    [InlineData("http", "TCP", 65536)]
    public void Endpoint_BadNamedPort_Throws(string name, string protocol, int port)
    {
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "e" },
            Spec = new WorkloadEndpointSpec { Node = "n1", Ports = [new EndpointPort { Name = name, Protocol = protocol, Port = port }] },
        };

        Assert.Throws<ResourceValidationException>(() => ResourceValidator.Validate(endpoint));
    }

    [Fact]
    public void Endpoint_NamedPortsOfEveryProtocol_Pass()
    {
        var endpoint = new WorkloadEndpoint
        {
            Metadata = new ObjectMeta { Name = "e" },
            Spec = new WorkloadEndpointSpec
            {
                Node = "n1",
                Ports = [new EndpointPort { Name = "a", Port = 1 }, new EndpointPort { Name = "b", Protocol = "UDP", Port = 65535 }, new EndpointPort { Name = "c", Protocol = "SCTP", Port = 80 }],
            },
        };

        ResourceValidator.Validate(endpoint);
    }

    [Theory]
    [InlineData("net1.0123abcd.eth0")]
    [InlineData("10-244-1-0-24")]
    [InlineData("node.n1")]
    public void Name_Usual_Passes(string name)
    {
        ResourceValidator.ValidateName("X", name);
    }

    [Theory]
    [InlineData(".hidden")]
    [InlineData("with space")]
    [InlineData("a/b")]
    public void Name_Unusable_Throws(string name)
    {
        Assert.Throws<ResourceValidationException>(() => ResourceValidator.ValidateName("X", name));
    }

    private static IPPool Pool(string cidr, int? blockSize) => new()
    {
        Metadata = new ObjectMeta { Name = "p" },
        Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize },
    };

    private static BGPPeer Peer(BGPPeerSpec spec) => new() { Metadata = new ObjectMeta { Name = "peer" }, Spec = spec };
}
