using System.Text.Json;
using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Interop.Image;

/// <summary>
/// The image as a container runtime runs it (the real podman, archive loaded with `podman load`):
/// each program starts from its path in the image, with only the libraries the image carries, and
/// TLS to the API server works with nothing but the service account's mounted ca.crt.
/// </summary>
public sealed class ImageRunTests(ImagePodman podman) : IClassFixture<ImagePodman>
{
    private static readonly string[] NoNetwork = ["--network", "none"];

    [Fact]
    public void Load_NamesTheImageAsTheArchiveDoes()
    {
        Assert.Equal(ImageArchive.Read().Reference, podman.LoadedName);
    }

    [Fact]
    public async Task Run_Entrypoint_TheAgentsVersion()
    {
        var expected = Proc.Check(RepoPaths.Binary("routednet-node"), "--version").Stdout;

        var run = (await podman.RunAsync(NoNetwork, ["--version"])).EnsureSuccess();

        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public async Task Run_Routednetctl_ItsVersion()
    {
        var expected = Proc.Check(RepoPaths.Binary("routednetctl"), "--version").Stdout;

        var run = (await podman.RunAsync([.. NoNetwork, "--entrypoint", "/usr/bin/routednetctl"], ["--version"])).EnsureSuccess();

        Assert.Equal(expected, run.Stdout);
    }

    [Theory]
    [InlineData("/opt/cni/bin/routednet")]
    [InlineData("/opt/cni/bin/routednet-ipam")]
    public async Task Run_CniPlugin_AnswersVersion(string plugin)
    {
        var run = (await podman.RunAsync([.. NoNetwork, "-e", "CNI_COMMAND=VERSION", "--entrypoint", plugin], [], """{"cniVersion":"1.0.0"}""")).EnsureSuccess();

        using var answer = JsonDocument.Parse(run.Stdout);
        Assert.Contains("1.0.0", answer.RootElement.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Run_Shell_NotInTheImage()
    {
        var run = await podman.RunAsync([.. NoNetwork, "--entrypoint", "/bin/sh"], ["-c", "true"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("/bin/sh", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("no such file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_InClusterServiceAccount_CtlReadsTheApiServerOverTls()
    {
        // The stand-in speaks HTTPS on the host's loopback; the container shares the host network,
        // so nothing leaves loopback. As in a pod: KUBERNETES_SERVICE_HOST/PORT and the service
        // account's token and ca.crt mounted, no kubeconfig, no CA bundle in the image.
        using var server = await KubeApiServerProcess.StartAsync();
        await server.CreateCrdsAsync();
        await server.PostYamlAsync("/apis/routednet.io/v1/ippools", """
            apiVersion: routednet.io/v1
            kind: IPPool
            metadata: {name: image-pool}
            spec: {cidr: 10.77.0.0/16, blockSize: 26}
            """);
        var account = Path.Combine(server.Dir, "serviceaccount");
        Directory.CreateDirectory(account);
        File.Copy(server.CaCertPath, Path.Combine(account, "ca.crt"));
        await File.WriteAllTextAsync(Path.Combine(account, "token"), server.AdminToken);
        var url = new Uri(server.BaseUrl);

        var run = await podman.RunAsync(
            [
                "--network", "host",
                "-e", "KUBERNETES_SERVICE_HOST=" + url.Host, "-e", "KUBERNETES_SERVICE_PORT=" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-v", account + ":/var/run/secrets/kubernetes.io/serviceaccount:ro",
                "--entrypoint", "/usr/bin/routednetctl",
            ],
            ["--datastore", "kubernetes", "get", "ippools", "-o", "json"]);

        Assert.True(run.Succeeded, run.Stderr);
        Assert.StartsWith("https://", server.BaseUrl, StringComparison.Ordinal);
        Assert.Contains("\"10.77.0.0/16\"", run.Stdout, StringComparison.Ordinal);
    }
}
