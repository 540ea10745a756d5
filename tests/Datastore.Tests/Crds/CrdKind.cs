using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using RoutedNet.Datastore.Documents;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Validation;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>One kind stored as a CRD: its plural, its record's JSON contract, how the datastores judge a document of it.</summary>
public sealed record CrdKind(string Plural, string Kind, JsonTypeInfo Contract, Func<JsonElement, Resource> Parse, string MinimalSpec)
{
    /// <summary>"Cluster", or "Namespaced" for the kinds whose objects live in a namespace.</summary>
    public string Scope { get; init; } = "Cluster";

    /// <summary>Every kind the kubernetes datastore keeps as a CRD (Node and WorkloadEndpoint are not: DESIGN.md).</summary>
    public static IReadOnlyList<CrdKind> All { get; } =
    [
        Of<IPPool>("ippools", """{"cidr":"10.244.0.0/16"}"""),
        Of<IPAMConfig>("ipamconfigs", "null"),
        Of<BGPConfiguration>("bgpconfigurations", "null"),
        Of<BGPPeer>("bgppeers", """{"peerIP":"172.18.0.1","asNumber":64500}"""),
        Of<BGPFilter>("bgpfilters", "null"),
        Of<IPAMBlock>("ipamblocks", """{"cidr":"10.244.1.0/24"}"""),
        Of<BlockAffinity>("blockaffinities", """{"node":"n1","cidr":"10.244.1.0/24"}"""),
        Of<IPAMHandle>("ipamhandles", """{"handleId":"net.abc.eth0"}"""),
        Of<NetworkPolicy>("networkpolicies", "null") with { Scope = "Namespaced" },
        Of<GlobalNetworkPolicy>("globalnetworkpolicies", "null"),
    ];

    public static TheoryData<string> Plurals => [.. All.Select(k => k.Plural)];

    public static CrdKind Named(string plural) => All.Single(k => k.Plural == plural);

    public static CrdKind OfKind(string kind) => All.Single(k => k.Kind == kind);

    public CrdFile Crd => CrdFile.Load(Plural);

    /// <summary>
    /// The smallest document the datastores take: <see cref="MinimalSpec"/> as spec (no spec when
    /// it is <c>null</c>).
    /// </summary>
    public JsonObject MinimalDocument()
    {
        var document = new JsonObject { ["apiVersion"] = Resource.GroupVersion, ["kind"] = Kind, ["metadata"] = new JsonObject { ["name"] = "x" } };
        if (JsonNode.Parse(MinimalSpec) is { } spec)
        {
            document["spec"] = spec;
        }
        return document;
    }

    /// <summary>What sqlite and etcd say of <paramref name="document"/> as written: null when they store it, else their error.</summary>
    public string? DatastoreVerdict(JsonNode document)
    {
        try
        {
            using var json = JsonDocument.Parse(document.ToJsonString());
            ResourceValidator.Validate(Parse(json.RootElement));
            return null;
        }
        catch (ResourceValidationException e)
        {
            return e.Message;
        }
    }

    /// <summary>What a Kubernetes API server with this kind's CRD says: no errors when it stores it.</summary>
    public IReadOnlyList<string> CrdVerdict(JsonNode document, JsonNode? old = null) =>
        StructuralSchema.Validate(Crd.Schema, document, old);

    private static CrdKind Of<T>(string plural, string minimalSpec)
        where T : Resource, IResourceKind<T> =>
        new(plural, T.KindName, T.JsonTypeInfo, document => ResourceDocument.Parse<T>(document), minimalSpec);
}
