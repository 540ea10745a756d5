using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests;

public class CniArgsTests
{
    [Fact]
    public void Parse_KubeletArgs_ExposesPodIdentity()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=kube-system;K8S_POD_NAME=coredns-1;K8S_POD_INFRA_CONTAINER_ID=abc");

        Assert.Equal("kube-system", args.PodNamespace);
        Assert.Equal("coredns-1", args.PodName);
        Assert.Equal("1", args.Get("IgnoreUnknown"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAME=")]
    public void Parse_NoPodNamespace_IdentityIsNull(string? text)
    {
        var args = CniArgs.Parse(text);

        Assert.Null(args.PodNamespace);
        Assert.Null(args.PodName);
    }

    [Fact]
    public void Parse_PairWithoutEquals_BadEnvironment()
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse("IgnoreUnknown=1;garbage"));

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("garbage", e.Message, StringComparison.Ordinal);
    }
}
