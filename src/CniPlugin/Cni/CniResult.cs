namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// An ADD result (spec "Success") in the shape shared by 0.3.0 to 1.1.0. Version differences are
/// applied by <see cref="CniResultConverter"/>: ips[].version before 1.0.0, 1.1.0-only fields.
/// </summary>
internal sealed class CniResult
{
    public string? CniVersion { get; set; }

    public List<CniInterface>? Interfaces { get; set; }

    public List<CniIpConfig>? Ips { get; set; }

    public List<CniRoute>? Routes { get; set; }

    public CniDns? Dns { get; set; }
}
