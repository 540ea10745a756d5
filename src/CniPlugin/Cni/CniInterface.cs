using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>interfaces[]: a host-side interface has no sandbox; the pod's carries its netns path.</summary>
internal sealed class CniInterface
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("sandbox")]
    public string? Sandbox { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("socketPath")]
    public string? SocketPath { get; set; }

    /// <summary>1.1.0 only.</summary>
    [JsonPropertyName("pciID")]
    public string? PciId { get; set; }
}
