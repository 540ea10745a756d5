namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>One conformance case of the case file (tests/netpol/cases.yaml; format in its header): steps applied in order.</summary>
internal sealed record NetpolCase(string Name, IReadOnlyList<string> Tags, string? Upstream, IReadOnlyList<NetpolStep> Steps)
{
    /// <summary>"C1" of "C1 default-deny-ingress in x": what --case takes (the whole name works too).</summary>
    public string ShortName => Name.Split(' ', 2)[0];
}
