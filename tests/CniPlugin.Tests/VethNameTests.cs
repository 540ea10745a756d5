using RoutedNet.CniPlugin.Wiring;

namespace RoutedNet.CniPlugin.Tests;

public class VethNameTests
{
    [Fact]
    public void For_PodIdentity_FitsKernelLimitWithPrefix()
    {
        var name = VethName.For("kube-system", "coredns-5d78c9869d-abcde", "c1", "eth0");

        Assert.Equal(15, name.Length);
        Assert.StartsWith("rn", name, StringComparison.Ordinal);
        Assert.True(VethName.IsOurs(name));
    }

    [Fact]
    public void For_SamePodNewSandbox_SameName() =>
        Assert.Equal(VethName.For("ns", "web-0", "sandbox-1", "eth0"), VethName.For("ns", "web-0", "sandbox-2", "eth0"));

    [Fact]
    public void For_DifferentPods_DifferentNames()
    {
        var names = Enumerable.Range(0, 1000).Select(i => VethName.For("ns", $"web-{i}", "c", "eth0")).ToHashSet();

        Assert.Equal(1000, names.Count);
        Assert.NotEqual(VethName.For("ns-a", "web", "c", "eth0"), VethName.For("ns-b", "web", "c", "eth0"));
    }

    [Fact]
    public void For_NoPodIdentity_UsesContainerId()
    {
        Assert.Equal(VethName.For(null, null, "c1", "eth0"), VethName.For(null, "podman-name", "c1", "eth0"));
        Assert.NotEqual(VethName.For(null, null, "c1", "eth0"), VethName.For(null, null, "c2", "eth0"));
    }

    [Fact]
    public void For_SecondInterfaceOfPod_DifferentName() =>
        Assert.NotEqual(VethName.For("ns", "p", "c", "eth0"), VethName.For("ns", "p", "c", "net1"));

    [Theory]
    [InlineData("rnt0")]
    [InlineData("rn0123456789abcX")]
    [InlineData("rn0123456789ABC")]
    [InlineData("eth0123456789ab")]
    [InlineData("rn0123456789ab")]
    public void IsOurs_OtherNames_False(string name) => Assert.False(VethName.IsOurs(name));
}
