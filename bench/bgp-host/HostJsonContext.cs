using System.Text.Json.Serialization;

namespace RoutedNet.BgpHost;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(HostConfig))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
