using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Cni;

/// <summary>A pod as a runtime knows it: a netns, a container id and the kubelet's CNI_ARGS.</summary>
public sealed record CniPod(NetNs Netns, string ContainerId, string Name, string Namespace = "rnt")
{
    public string Args => $"IgnoreUnknown=1;K8S_POD_NAMESPACE={Namespace};K8S_POD_NAME={Name};K8S_POD_INFRA_CONTAINER_ID={ContainerId}";

    /// <summary>`ip -n POD args`, output on success.</summary>
    public string Ip(params string[] args) => Proc.Check("ip", ["-n", Netns.Name, .. args]).Stdout;
}
