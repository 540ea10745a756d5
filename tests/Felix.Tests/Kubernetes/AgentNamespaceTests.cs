using RoutedNet.Felix.Kubernetes;

namespace RoutedNet.Felix.Tests.Kubernetes;

public sealed class AgentNamespaceTests
{
    [Fact]
    public void Resolve_PodNamespaceSetting_WinsOverTheServiceAccountFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");

            Assert.Equal("routednet", AgentNamespace.Resolve("routednet", file));
            Assert.Equal("from-file", AgentNamespace.Resolve(null, file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Resolve_NeitherSettingNorFile_KubeSystem()
    {
        Assert.Equal("kube-system", AgentNamespace.Resolve("", "/nonexistent/namespace"));
    }
}
