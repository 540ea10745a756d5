namespace RoutedNet.CniPlugin.Cni;

/// <summary>routes[]: what the pod routes; fields after <see cref="Gw"/> exist from spec 1.1.0.</summary>
internal sealed class CniRoute
{
    public string Dst { get; set; } = "";

    public string? Gw { get; set; }

    public int? Mtu { get; set; }

    public int? AdvMss { get; set; }

    public int? Priority { get; set; }

    public int? Table { get; set; }

    public int? Scope { get; set; }
}
