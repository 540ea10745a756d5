using System.Text.Json.Serialization;

namespace RoutedNet.Ctl.Lab;

/// <summary>The state file and the `lab status -o json` contract (source-generated, NativeAOT).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LabState))]
[JsonSerializable(typeof(LabStatusView))]
[JsonSerializable(typeof(LabStatusView.PodView))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
