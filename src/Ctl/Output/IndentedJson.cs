using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoutedNet.Ctl.Output;

/// <summary>Indented re-serialisation of JSON trees for -o json (source-generated, NativeAOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class IndentedJson : JsonSerializerContext;
