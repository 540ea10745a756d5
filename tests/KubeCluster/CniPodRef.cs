namespace RoutedNet.Tests.KubeCluster;

/// <summary>What a runtime tells the CNI plugin about a pod (CNI_CONTAINERID, CNI_NETNS, K8S_POD_* args).</summary>
public sealed record CniPodRef(string Namespace, string Name, string Uid, string ContainerId, string NetnsPath);
