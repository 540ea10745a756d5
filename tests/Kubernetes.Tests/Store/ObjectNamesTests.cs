using RoutedNet.Kubernetes.Store;

namespace RoutedNet.Kubernetes.Tests.Store;

public sealed class ObjectNamesTests
{
    [Theory]
    [InlineData("10-244-3-0-26")]
    [InlineData("fd00-244--1-c0-122")]
    [InlineData("n1-10-244-3-0-26")]
    [InlineData("default")]
    [InlineData("k8s-pod-network.0123abcd.eth0")]
    public void Encode_NamesIpamAlreadyMakes_StayAsTheyAre(string name)
    {
        Assert.Equal(name, ObjectNames.Encode(name));
    }

    [Theory]
    [InlineData("Net_A.0123abcd.eth0")]
    [InlineData("a:b")]
    [InlineData("-x")]
    [InlineData("x.")]
    [InlineData("__")]
    public void Encode_NotDns1123_IsALegalNameKeptApartByItsHash(string name)
    {
        var encoded = ObjectNames.Encode(name);

        Assert.True(ObjectNames.IsDns1123Subdomain(encoded), encoded);
        Assert.NotEqual(name, encoded);
        Assert.NotEqual(encoded, ObjectNames.Encode(name + "x"));
    }

    [Fact]
    public void Encode_LongAffinityName_StaysWithin253()
    {
        var node = new string('n', 253);

        var encoded = ObjectNames.Encode(node + "-10-244-3-0-26");

        Assert.True(encoded.Length <= 253);
        Assert.True(ObjectNames.IsDns1123Subdomain(encoded));
    }

    [Fact]
    public void Encode_IsFixed_OldObjectsAreFoundAgain()
    {
        // The encoding is stored data: this value must never change.
        Assert.Equal("net-a-0123abcd-eth0-6a846284bed3143c3a5b", ObjectNames.Encode("Net_A.0123abcd.eth0"));
    }

    [Theory]
    [InlineData("node-1", "node-1")]
    [InlineData("Node_1.example", "Node_1.example")]
    public void NodeLabel_ShortName_IsTheName(string node, string label)
    {
        Assert.Equal(label, NodeLabels.ValueFor(node));
    }

    [Fact]
    public void NodeLabel_LongName_IsAHashOf63()
    {
        var value = NodeLabels.ValueFor(new string('a', 64) + ".example.com");

        Assert.Equal(63, value.Length);
        Assert.StartsWith("sha256-", value, StringComparison.Ordinal);
    }
}
