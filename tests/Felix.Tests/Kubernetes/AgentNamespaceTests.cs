using RoutedNet.Felix.Kubernetes;

namespace RoutedNet.Felix.Tests.Kubernetes;

public sealed class AgentNamespaceTests
{
    [Fact]
    public void Resolve_PodNamespaceSet_WinsOverTheServiceAccountFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");

            Assert.Equal("routednet", AgentNamespace.Resolve(v => v == "POD_NAMESPACE" ? "routednet" : null, file));
            Assert.Equal("from-file", AgentNamespace.Resolve(_ => null, file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Resolve_NeitherVariableNorFile_KubeSystem()
    {
        Assert.Equal("kube-system", AgentNamespace.Resolve(_ => "", "/nonexistent/namespace"));
    }
}
