using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>routes[]: what the pod routes; fields after <see cref="Gw"/> exist from spec 1.1.0.</summary>
internal sealed class CniRoute
{
    [JsonPropertyName("dst")]
    public string Dst { get; set; } = "";

    [JsonPropertyName("gw")]
    public string? Gw { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("advmss")]
    public int? AdvMss { get; set; }

    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    [JsonPropertyName("table")]
    public int? Table { get; set; }

    [JsonPropertyName("scope")]
    public int? Scope { get; set; }
}
