using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>An explicit BGP peering (top-of-rack router, route reflector) for the nodes it selects.</summary>
public sealed record BGPPeer : Resource, IResourceKind<BGPPeer>
{
    public static string KindName => "BGPPeer";

    public static JsonTypeInfo<BGPPeer> JsonTypeInfo => DatastoreJsonContext.Default.BGPPeer;

    [JsonPropertyOrder(-2)]
    public override string Kind => KindName;

    public BGPPeerSpec Spec { get; init => field = value ?? new(); } = new();
}
