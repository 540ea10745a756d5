using System.Security.Cryptography;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// podman's CNI backend calls `routednet` as libcni does: VERSION with dummy values to validate
/// the conflist, ADD on run (CNI_NETNS=/run/netns/netns-&lt;uuid&gt;, CNI_ARGS with
/// IgnoreUnknown=1 and K8S_POD_NAME), DEL with prevResult on removal.
/// </summary>
public sealed class PodmanCniTests(PodmanFixture podman) : IClassFixture<PodmanFixture>
{
    [Fact]
    public async Task RunThenRemove_RoutednetNetwork_ContainerRoutedThenNothingLeft()
    {
        var name = $"rnt-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        (await podman.PodmanAsync("run", "--detach", "--name", name, "--network", podman.Network.Name, BusyboxImage.Reference)).EnsureSuccess();
        RoutedPod pod;
        try
        {
            var netns = await InspectAsync(name, "{{.NetworkSettings.SandboxKey}}");
            var ip = await InspectAsync(name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}");
            Assert.StartsWith("10.211.1.", ip, StringComparison.Ordinal);

            pod = await RoutedPod.AssertWiredAsync(podman.Node, netns, ip);
            Assert.True(podman.Network.IsAllocated(ip));
        }
        finally
        {
            (await podman.PodmanAsync("rm", "--force", "--time", "0", name)).EnsureSuccess();
        }

        pod.AssertNothingLeft(podman.Node, podman.Network);
    }

    private async Task<string> InspectAsync(string container, string format) =>
        (await podman.PodmanAsync("inspect", "--format", format, container)).EnsureSuccess().Stdout.Trim();
}
