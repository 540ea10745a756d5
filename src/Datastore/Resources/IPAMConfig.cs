using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>Cluster-wide IPAM settings; one object named <c>default</c> (see <see cref="IPAMConfigSpec.DefaultName"/>).</summary>
public sealed record IPAMConfig : Resource, IResourceKind<IPAMConfig>
{
    public static string KindName => "IPAMConfig";

    public static JsonTypeInfo<IPAMConfig> JsonTypeInfo => DatastoreJsonContext.Default.IPAMConfig;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public IPAMConfigSpec Spec { get; init => field = value ?? new(); } = new();
}
