using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>The VERSION reply; also how a delegate's supported versions are read.</summary>
internal sealed class CniVersionResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("supportedVersions")]
    public List<string>? SupportedVersions { get; set; }
}
