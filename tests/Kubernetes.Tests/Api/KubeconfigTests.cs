using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Tests.Api;

public sealed class KubeconfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    [Fact]
    public void Read_CurrentContext_ItsClusterAndUser()
    {
        var path = Write("""
            apiVersion: v1
            kind: Config
            clusters:
            - name: other
              cluster: {server: "https://10.0.0.9:6443"}
            - name: c
              cluster:
                server: https://10.0.0.1:6443
                tls-server-name: api.example
                certificate-authority-data: LS0tLS1CRUdJTg==
            users:
            - name: u
              user: {token: t1}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var endpoint = Kubeconfig.Read(path);

        Assert.Equal("https://10.0.0.1:6443", endpoint.Server);
        Assert.Equal("api.example", endpoint.TlsServerName);
        Assert.Equal("-----BEGIN", endpoint.CaPem);
        Assert.Equal("t1", endpoint.Token);
    }

    [Fact]
    public void Read_RelativeFiles_ResolvedAgainstTheKubeconfigsDirectory()
    {
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), "CA TEXT");
        var path = Write("""
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.pem}
            users:
            - name: u
              user: {tokenFile: secrets/token}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var endpoint = Kubeconfig.Read(path);

        Assert.Equal("CA TEXT", endpoint.CaPem);
        Assert.Equal(Path.Combine(_dir, "secrets/token"), endpoint.TokenFile);
    }

    [Theory]
    [InlineData("exec: {command: aws}", "\"exec\" credentials are not supported")]
    [InlineData("auth-provider: {name: gcp}", "\"auth-provider\" credentials are not supported")]
    public void Open_CredentialPlugin_OneLineNamingIt(string user, string expected)
    {
        var path = Write($$"""
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443"}
            users:
            - name: u
              user: {{{user}}}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(path));

        Assert.StartsWith($"kubeconfig \"{path}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("current-context: y", "contexts: no entry named \"y\"")]
    [InlineData("current-context: x\nusers: []", "users: no entry named \"u\"")]
    public void Open_ContextOrUserMissing_OneLineNamingIt(string tail, string expected)
    {
        var path = Write($$"""
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443"}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            {{tail}}
            """);

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CaWithoutCertificate_OneLineSayingSo()
    {
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), "not a certificate");
        var path = Write("""
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.pem}
            contexts:
            - name: x
              context: {cluster: c}
            current-context: x
            """);

        var error = Assert.Throws<ArgumentException>(() => KubeConnection.Open(path));

        Assert.Contains("no PEM certificate", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(path, text);
        return path;
    }
}
