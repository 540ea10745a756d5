using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// `--address`: the stand-in listens on an address of its network namespace instead of loopback,
/// so namespaces on that network reach it (the kubelet-player harness's nodes); its serving
/// certificate and its kubeconfig name that address, so a client verifying TLS (curl here) accepts it.
/// </summary>
public sealed class StandInAddressTests
{
    [Fact]
    public async Task Address_InANamespace_ServesVerifiedTlsThereAndTheKubeconfigNamesIt()
    {
        using var ns = NetNs.Create();
        ns.Check("ip", "addr", "add", "10.123.0.1/32", "dev", "lo");
        var dir = Directory.CreateTempSubdirectory("rnt-kubeapi-").FullName;
        try
        {
            using var server = Daemon.Start(
                "ip",
                ["netns", "exec", ns.Name, KubeApiServerProcess.BinaryPath, "--port", "6443", "--address", "10.123.0.1", "--dir", dir],
                logPath: Path.Combine(dir, "apiserver.log"));
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await Eventually.Until(() => File.Exists(kubeconfig) || server.HasExited, "the stand-in's kubeconfig");
            var text = await File.ReadAllTextAsync(kubeconfig);
            var token = text.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..];

            var version = ns.Exec("curl", "-sS", "--fail", "--cacert", Path.Combine(dir, "ca.crt"), "-H", "Authorization: Bearer " + token, "https://10.123.0.1:6443/api/v1/namespaces/kube-system");

            Assert.Contains("server: https://10.123.0.1:6443", text, StringComparison.Ordinal);
            Assert.True(version.Succeeded, version.Stderr);
            Assert.Contains("\"name\":\"kube-system\"", version.Stdout.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            ScratchDirectory.Remove(dir);
        }
    }

    [Fact]
    public void Address_NotAnAddress_OneLineAndExit2()
    {
        var result = Proc.Run(KubeApiServerProcess.BinaryPath, "--port", "0", "--dir", "/tmp/unused", "--address", "nope");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("routednet-test-apiserver: bad argument --address nope", result.Stderr, StringComparison.Ordinal);
    }
}
