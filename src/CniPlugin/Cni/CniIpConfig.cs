using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>ips[]: an address in CIDR form, bound to interfaces[<see cref="Interface"/>].</summary>
internal sealed class CniIpConfig
{
    /// <summary>"4" or "6": required before spec 1.0.0, absent from 1.0.0 on.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("interface")]
    public int? Interface { get; set; }

    [JsonPropertyName("address")]
    public string Address { get; set; } = "";

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }
}
