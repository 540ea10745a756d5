using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>One pod: its own network namespace, wired by the CNI plugin on <see cref="Node"/>.</summary>
internal sealed class LabPod
{
    /// <summary>The Kubernetes namespace of pods added without --pod-namespace (what every lab pod was before).</summary>
    public const string DefaultPodNamespace = "lab";

    /// <summary>The lab's own name of the pod (nodeN-podK), also the suffix of its network namespace.</summary>
    public required string Name { get; init; }

    public required string Node { get; init; }

    /// <summary>The pod's network namespace (rnlab-nodeN-podK).</summary>
    public required string Namespace { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>Bare addresses from the CNI result (no prefix length).</summary>
    public List<string> Addresses { get; init; } = [];

    /// <summary>Who the pod is to policy: K8S_POD_NAMESPACE (a state file from before had none: "lab").</summary>
    public string PodNamespace { get; init => field = value ?? DefaultPodNamespace; } = DefaultPodNamespace;

    /// <summary>K8S_POD_NAME; the lab name when not given.</summary>
    public string? PodName { get => field ?? Name; init; }

    public Dictionary<string, string> Labels { get; init => field = value ?? []; } = [];

    /// <summary>The named container ports; the pod's server listens on each.</summary>
    public List<EndpointPort> Ports { get; init => field = value ?? []; } = [];

    /// <summary>The pod's echo server (<see cref="PodServer"/>), 0 when it has none.</summary>
    public int ServerPid { get; set; }

    /// <summary>"NAMESPACE/NAME", how policies and `label pod` name it.</summary>
    public string Identity => $"{PodNamespace}/{PodName}";
}
