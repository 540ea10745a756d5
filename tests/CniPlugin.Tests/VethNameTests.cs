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

    // Expected names computed outside this code base (a Python script: FNV-1a 64 of the UTF-8
    // identity, MurmurHash3's fmix64, first 13 hex digits): the agent and tools that derive a
    // pod's veth must get the same name, so the function itself is pinned.
    [Theory]
    [InlineData("default", "pod-a", "c1", "eth0", "rna7f7028a9676e")]
    [InlineData("default", "pod-b", "c1", "eth0", "rn3e3c0369d045b")]
    [InlineData("kube-system", "coredns-5d78c9869d-abcde", "c1", "eth0", "rn31db45b1a39d7")]
    [InlineData(null, null, "c1", "eth0", "rn4ad219d4c2397")]
    [InlineData("ns", "p", "c", "net1", "rn2b60db5012c6a")]
    public void For_KnownIdentity_PinnedName(string? podNamespace, string? podName, string containerId, string ifName, string expected) =>
        Assert.Equal(expected, VethName.For(podNamespace, podName, containerId, ifName));

    [Fact]
    public void For_IdentitiesDifferingInLastCharacter_NamesDifferThroughout()
    {
        var names = Enumerable.Range('a', 26).Select(c => VethName.For("default", $"pod-{(char)c}", "c", "eth0")[VethName.Prefix.Length..]).ToList();

        // Unrelated 13-digit hex strings share about one digit position; plain FNV-1a shared 12.
        var fewestDifferingDigits = names.SelectMany((a, i) => names.Skip(i + 1).Select(b => a.Zip(b).Count(p => p.First != p.Second))).Min();
        Assert.True(fewestDifferingDigits >= 6, $"two names differ in only {fewestDifferingDigits} of 13 digits");
    }

    [Theory]
    [InlineData("rnt0")]
    [InlineData("rn0123456789abcX")]
    [InlineData("rn0123456789ABC")]
    [InlineData("eth0123456789ab")]
    [InlineData("rn0123456789ab")]
    public void IsOurs_OtherNames_False(string name) => Assert.False(VethName.IsOurs(name));
}
