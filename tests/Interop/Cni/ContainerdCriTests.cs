namespace RoutedNet.Interop.Cni;

/// <summary>
/// containerd's CRI plugin calls `routednet` exactly as on a Kubernetes node: kubelet's
/// RunPodSandbox, PodSandboxStatus, StopPodSandbox, RemovePodSandbox (loopback then our plugin
/// on ADD with K8S_POD_* CNI_ARGS; DEL on stop, DEL again on remove with an empty CNI_NETNS).
/// </summary>
public sealed class ContainerdCriTests(ContainerdFixture containerd) : IClassFixture<ContainerdFixture>
{
    [Fact]
    public async Task RunPodSandbox_RoutednetNetwork_SandboxHasSlash32AndDefaultViaLinkLocal()
    {
        var sandboxId = await containerd.Cri.RunPodSandboxAsync($"rnt-web-{Guid.NewGuid():N}"[..16], "rnt", Guid.NewGuid().ToString());
        try
        {
            var status = (await containerd.Cri.PodSandboxStatusAsync(sandboxId)).Status;
            Assert.Equal(Cri.PodSandboxState.SandboxReady, status.State);
            var netns = await containerd.Cri.NetworkNamespacePathAsync(sandboxId);

            var pod = await RoutedPod.AssertWiredAsync(containerd.Node, netns, status.Network.Ip);

            Assert.StartsWith("10.211.0.", pod.Ip, StringComparison.Ordinal);
            Assert.True(containerd.Network.IsAllocated(pod.Ip));
        }
        finally
        {
            await containerd.Cri.StopPodSandboxAsync(sandboxId);
            await containerd.Cri.RemovePodSandboxAsync(sandboxId);
        }
    }

    [Fact]
    public async Task StopAndRemovePodSandbox_AfterRun_LeaveNoVethRouteOrAddress()
    {
        var sandboxId = await containerd.Cri.RunPodSandboxAsync($"rnt-db-{Guid.NewGuid():N}"[..16], "rnt", Guid.NewGuid().ToString());
        var status = (await containerd.Cri.PodSandboxStatusAsync(sandboxId)).Status;
        var pod = await RoutedPod.AssertWiredAsync(containerd.Node, await containerd.Cri.NetworkNamespacePathAsync(sandboxId), status.Network.Ip);

        await containerd.Cri.StopPodSandboxAsync(sandboxId);
        await containerd.Cri.RemovePodSandboxAsync(sandboxId);

        pod.AssertNothingLeft(containerd.Node, containerd.Network);
        Assert.DoesNotContain(await containerd.Cri.ListPodSandboxAsync(), s => s.Id == sandboxId);
    }
}
