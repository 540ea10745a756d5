using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>Who `add-pod` makes the pod (--pod-namespace, --pod-name, --label, --port); null name: the lab's own.</summary>
internal sealed record PodIdentity(string Namespace, string? Name, Dictionary<string, string> Labels, List<EndpointPort> Ports);
