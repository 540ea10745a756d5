using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Tests.Api;

// KUBECONFIG and KUBERNETES_SERVICE_HOST are process-wide: these tests must not run beside each other.
[Collection(nameof(KubeConnectionTests))]
[CollectionDefinition(nameof(KubeConnectionTests), DisableParallelization = true)]
public sealed class KubeConnectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubestore-").FullName;

    [Fact]
    public void Open_KubeconfigMissing_OneLineNamingThePath()
    {
        var path = Path.Combine(_dir, "nope");

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_KubeconfigNotYaml_OneLineNamingThePath()
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, "clusters: [ {");

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(path));

        Assert.StartsWith($"kubeconfig \"{path}\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_NoFlag_UsesKubeconfigVariable()
    {
        var path = WriteKubeconfig("http://127.0.0.1:1");
        using var _ = new EnvironmentVariable("KUBECONFIG", path);

        using var connection = KubeConnection.Open(null);

        Assert.Equal(new Uri("http://127.0.0.1:1/"), connection.BaseUrl);
        Assert.Equal(path, connection.Source);
    }

    [Fact]
    public void Open_NothingConfigured_SaysWhatToGive()
    {
        using var a = new EnvironmentVariable("KUBECONFIG", null);
        using var b = new EnvironmentVariable("KUBERNETES_SERVICE_HOST", null);

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(null));

        Assert.Contains("--kubeconfig", error.Message, StringComparison.Ordinal);
        Assert.Contains("KUBECONFIG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ServerUnreachable_UnavailableNamingTheUrl()
    {
        // A port that was free a moment ago: nothing listens there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var api = KubeApi.Open(WriteKubeconfig($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<DatastoreUnavailableException>(() => api.GetAsync(KubeResource.Nodes, "n1", CancellationToken.None));

        Assert.Contains($"http://127.0.0.1:{port}/", error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteKubeconfig(string server)
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {server}
            users:
            - name: u
              user:
                token: t0
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """);
        return path;
    }

    private sealed class EnvironmentVariable : IDisposable
    {
        private readonly string _name;
        private readonly string? _old;

        public EnvironmentVariable(string name, string? value)
        {
            _name = name;
            _old = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, _old);
    }
}
