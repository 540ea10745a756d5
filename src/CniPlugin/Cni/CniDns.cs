using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>dns: passed through from IPAM unchanged.</summary>
internal sealed class CniDns
{
    [JsonPropertyName("nameservers")]
    public List<string>? Nameservers { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; set; }

    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }

    [JsonIgnore]
    public bool IsEmpty => (Nameservers?.Count ?? 0) == 0 && string.IsNullOrEmpty(Domain) && (Search?.Count ?? 0) == 0 && (Options?.Count ?? 0) == 0;
}
