namespace RoutedNet.CniPlugin.Cni;

/// <summary>dns: passed through from IPAM unchanged.</summary>
internal sealed class CniDns
{
    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }

    public bool IsEmpty => (Nameservers?.Count ?? 0) == 0 && string.IsNullOrEmpty(Domain) && (Search?.Count ?? 0) == 0 && (Options?.Count ?? 0) == 0;
}
