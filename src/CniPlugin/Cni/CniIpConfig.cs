namespace RoutedNet.CniPlugin.Cni;

/// <summary>ips[]: an address in CIDR form, bound to interfaces[<see cref="Interface"/>].</summary>
internal sealed class CniIpConfig
{
    /// <summary>"4" or "6": required before spec 1.0.0, absent from 1.0.0 on.</summary>
    public string? Version { get; set; }

    public int? Interface { get; set; }

    public string Address { get; set; } = "";

    public string? Gateway { get; set; }
}
