using System.Text.Json.Serialization;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>Source-generated (de)serializers: the binary is NativeAOT and trimmed, no reflection.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CniErrorResult))]
[JsonSerializable(typeof(CniVersionResult))]
[JsonSerializable(typeof(List<CniAttachment>))]
internal sealed partial class CniJsonContext : JsonSerializerContext;
