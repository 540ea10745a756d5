using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests;

public class CniEnvironmentTests
{
    private static Dictionary<string, string> Add() => new()
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/run/netns/x",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin:/usr/lib/cni",
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p",
    };

    private static CniEnvironment Read(Dictionary<string, string> vars) => CniEnvironment.Read(k => vars.GetValueOrDefault(k));

    [Fact]
    public void Read_FullAdd_ParsesEveryVariable()
    {
        var env = Read(Add());

        Assert.Equal(CniCommand.Add, env.Command);
        Assert.Equal("c1", env.ContainerId);
        Assert.Equal("/run/netns/x", env.Netns);
        Assert.Equal("eth0", env.IfName);
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], env.Path);
        Assert.Equal("p", env.Args.PodName);
    }

    [Theory]
    [InlineData("CNI_COMMAND")]
    [InlineData("CNI_CONTAINERID")]
    [InlineData("CNI_NETNS")]
    [InlineData("CNI_IFNAME")]
    [InlineData("CNI_PATH")]
    public void Read_AddMissingVariable_BadEnvironmentNamingIt(string variable)
    {
        var vars = Add();
        vars.Remove(variable);

        var e = Assert.Throws<CniException>(() => Read(vars));

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DelWithoutNetns_Accepted()
    {
        var vars = Add();
        vars["CNI_COMMAND"] = "DEL";
        vars["CNI_NETNS"] = "";

        Assert.Equal("", Read(vars).Netns);
    }

    [Fact]
    public void Read_VersionWithDummyValues_Accepted()
    {
        var env = Read(new() { ["CNI_COMMAND"] = "VERSION", ["CNI_NETNS"] = "dummy", ["CNI_IFNAME"] = "dummy", ["CNI_PATH"] = "dummy" });

        Assert.Equal(CniCommand.Version, env.Command);
    }

    [Fact]
    public void Read_GcWithoutAttachment_Accepted()
    {
        var env = Read(new() { ["CNI_COMMAND"] = "GC", ["CNI_PATH"] = "/usr/lib/cni" });

        Assert.Equal(CniCommand.Gc, env.Command);
    }

    [Theory]
    [InlineData("CNI_COMMAND", "ATTACH")]
    [InlineData("CNI_IFNAME", "much-too-long-ifname")]
    [InlineData("CNI_IFNAME", "eth/0")]
    public void Read_InvalidValue_BadEnvironment(string variable, string value)
    {
        var vars = Add();
        vars[variable] = value;

        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => Read(vars)).Code);
    }
}
