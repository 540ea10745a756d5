using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// Ordered import and export rules per address family (Calico's BGPFilter), applied to the
/// sessions of every BGPPeer that names it in <see cref="BGPPeerSpec.Filters"/>.
/// </summary>
public sealed record BGPFilter : Resource, IResourceKind<BGPFilter>
{
    public static string KindName => "BGPFilter";

    public static JsonTypeInfo<BGPFilter> JsonTypeInfo => DatastoreJsonContext.Default.BGPFilter;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public BGPFilterSpec Spec { get; init => field = value ?? new(); } = new();
}
