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
    [InlineData("exec: {command: aws}", "exec has no apiVersion")]
    [InlineData("exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: aws}", "exec apiVersion \"client.authentication.k8s.io/v1alpha1\" is not")]
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

    [Fact]
    public void Read_ExecPlugin_CommandArgsEnvAndHint_RelativePathAgainstTheKubeconfig()
    {
        var path = Write("""
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443"}
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: bin/get-token
                  args: [eks, get-token, --cluster-name, prod]
                  env: [{name: AWS_PROFILE, value: ops}]
                  installHint: install get-token from your cloud's CLI
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var exec = Kubeconfig.Read(path).Exec!;

        Assert.Equal(Path.Combine(_dir, "bin/get-token"), exec.Command);
        Assert.Equal(["eks", "get-token", "--cluster-name", "prod"], exec.Args);
        Assert.Equal([new KeyValuePair<string, string>("AWS_PROFILE", "ops")], exec.Env);
        Assert.Equal("install get-token from your cloud's CLI", exec.InstallHint);
        Assert.Equal("client.authentication.k8s.io/v1beta1", exec.ApiVersion);
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
