using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// An ADD result (spec "Success") in the shape shared by 0.3.0 to 1.1.0. Version differences are
/// applied by <see cref="CniResultConverter"/>: ips[].version before 1.0.0, 1.1.0-only fields.
/// </summary>
internal sealed class CniResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("interfaces")]
    public List<CniInterface>? Interfaces { get; set; }

    [JsonPropertyName("ips")]
    public List<CniIpConfig>? Ips { get; set; }

    [JsonPropertyName("routes")]
    public List<CniRoute>? Routes { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }
}
