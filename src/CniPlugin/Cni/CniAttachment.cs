using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>One entry of GC's "cni.dev/valid-attachments": an attachment the runtime still uses.</summary>
internal sealed record CniAttachment
{
    [JsonPropertyName("containerID")]
    public string ContainerId { get; init; } = "";

    [JsonPropertyName("ifname")]
    public string IfName { get; init; } = "";
}
