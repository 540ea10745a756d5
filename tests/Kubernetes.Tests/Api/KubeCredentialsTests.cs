using Microsoft.Extensions.Time.Testing;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Tests.Api;

public sealed class KubeCredentialsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubecreds-").FullName;

    [Fact]
    public void Header_TokenFileRotated_NewTokenWithinAMinute()
    {
        // The kubelet rotates a pod's projected service-account token by replacing the file.
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, "old\n");
        var time = new FakeTimeProvider();
        var credentials = new KubeCredentials(new KubeEndpoint { Server = "https://x", TokenFile = file }, time);
        File.WriteAllText(file, "new\n");

        var before = credentials.Header();
        time.Advance(TimeSpan.FromMinutes(1));
        var after = credentials.Header();

        Assert.Equal("Bearer old", before?.ToString());
        Assert.Equal("Bearer new", after?.ToString());
    }

    [Fact]
    public void Header_TokenFileGoneAfterStart_LastTokenKept()
    {
        var file = Path.Combine(_dir, "token");
        File.WriteAllText(file, "t0");
        var time = new FakeTimeProvider();
        var credentials = new KubeCredentials(new KubeEndpoint { Server = "https://x", TokenFile = file }, time);
        File.Delete(file);
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("Bearer t0", credentials.Header()?.ToString());
    }

    [Fact]
    public void Header_Basic_UserAndPasswordEncoded()
    {
        var credentials = new KubeCredentials(new KubeEndpoint { Server = "https://x", Username = "admin", Password = "pw" }, TimeProvider.System);

        Assert.Equal("Basic YWRtaW46cHc=", credentials.Header()?.ToString());
    }

    [Fact]
    public void Header_ClientCertificateOnly_NoHeader()
    {
        var credentials = new KubeCredentials(new KubeEndpoint { Server = "https://x" }, TimeProvider.System);

        Assert.Null(credentials.Header());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
