namespace RoutedNet.Policy.Tests.Conformance;

public sealed record NetpolStep(
    string Description,
    IReadOnlyList<string> Apply,
    IReadOnlyList<string> Delete,
    IReadOnlyDictionary<string, Dictionary<string, string?>> LabelPods,
    IReadOnlyDictionary<string, Dictionary<string, string?>> LabelNamespaces,
    IReadOnlyList<NetpolProbe> Probes);
