using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>The spec's error JSON, written to stdout with a non-zero exit (and read back from delegates).</summary>
internal sealed class CniErrorResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("msg")]
    public string? Msg { get; set; }

    [JsonPropertyName("details")]
    public string? Details { get; set; }
}
