namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>
/// One step of a case: YAML documents to apply and to delete, label changes (a null value removes
/// the label) of pods ("NS/POD") and namespaces, then the probes whose tables must hold once every
/// node enforces the step.
/// </summary>
internal sealed record NetpolStep(
    string Description,
    IReadOnlyList<string> Apply,
    IReadOnlyList<string> Delete,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> LabelPods,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> LabelNamespaces,
    IReadOnlyList<NetpolProbe> Probes);
