namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>
/// `--datastore kubernetes --kubeconfig PATH` as every command takes it: a kubeconfig that cannot
/// be used is a usage error (2), an API server that does not answer is "unreachable" (3), each in
/// one line naming the file or the URL. (Against a serving API server: tests/Integration/Ctl.)
/// </summary>
public sealed class KubernetesDatastoreFlagTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-ctl-kube-").FullName;

    [Fact]
    public async Task Get_KubeconfigMissing_Exit2NamingIt()
    {
        var path = Path.Combine(_dir, "nope");

        var result = await CtlProcess.RunWithAsync("--datastore", "kubernetes", "--kubeconfig", path, "get", "ippools");

        AssertOneErrorLine(result, 2, $"kubeconfig \"{path}\" (from --kubeconfig): no such file");
    }

    [Fact]
    public async Task Get_ApiServerNotListening_Exit3NamingTheUrl()
    {
        var path = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(path, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:1"}
            users:
            - name: u
              user: {token: t}
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);

        var result = await CtlProcess.RunWithAsync("--datastore", "kubernetes", "--kubeconfig", path, "get", "ippools");

        AssertOneErrorLine(result, 3, "cannot reach the datastore: kubernetes API server http://127.0.0.1:1/: unreachable");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertOneErrorLine((int Exit, string Stdout, string Stderr) result, int exit, string contains)
    {
        Assert.True(result.Exit == exit, $"exit {result.Exit}, want {exit}: {result.Stderr}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(contains, line, StringComparison.Ordinal);
    }
}
