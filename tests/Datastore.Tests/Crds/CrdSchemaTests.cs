using System.Text.Json.Nodes;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>
/// charts/routednet/crds/ is the schema the sqlite and etcd datastores validate against, written
/// for the Kubernetes API server: the same fields with the same types as the records' JSON, the
/// same required fields. A field added to a record and not to its CRD (or the reverse) fails here,
/// naming the field: on a cluster the API server would refuse or prune it.
/// </summary>
public sealed class CrdSchemaTests
{
    [Fact]
    public void CrdDirectory_HoldsOneFilePerKind_AndNothingElse()
    {
        var files = Directory.GetFiles(CrdFile.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(CrdKind.All.Select(k => $"{k.Plural}.routednet.io.yaml").Order(StringComparer.Ordinal), files);
    }

    [Theory]
    [MemberData(nameof(CrdKind.Plurals), MemberType = typeof(CrdKind))]
    public void Crd_Names_AreTheContract(string plural)
    {
        var kind = CrdKind.Named(plural);
        var crd = kind.Crd;

        Assert.Equal(("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ((string?)crd.Crd["apiVersion"], (string?)crd.Crd["kind"]));
        Assert.Equal($"{plural}.{Resource.Group}", (string?)crd.Crd["metadata"]!["name"]);
        Assert.Equal((Resource.Group, kind.Scope), ((string?)crd.Spec["group"], (string?)crd.Spec["scope"]));
        Assert.Equal(
            (kind.Kind, kind.Kind + "List", plural, kind.Kind.ToLowerInvariant()),
            ((string?)crd.Names["kind"], (string?)crd.Names["listKind"], (string?)crd.Names["plural"], (string?)crd.Names["singular"]));
        Assert.Equal((Resource.Version, true, true), ((string?)crd.Version["name"], (bool?)crd.Version["served"], (bool?)crd.Version["storage"]));
    }

    [Theory]
    [MemberData(nameof(CrdKind.Plurals), MemberType = typeof(CrdKind))]
    public void Schema_FieldForField_IsTheRecordsJson(string plural)
    {
        var kind = CrdKind.Named(plural);

        var fromRecord = ContractShape.FromContract(kind.Contract, RequiredByTheDatastore(kind));

        Assert.Equal(fromRecord, ContractShape.FromSchema(kind.Crd.Schema));
    }

    [Theory]
    [MemberData(nameof(CrdKind.Plurals), MemberType = typeof(CrdKind))]
    public void MinimalDocument_IsStoredByBoth(string plural)
    {
        var kind = CrdKind.Named(plural);
        var document = kind.MinimalDocument();

        Assert.Null(kind.DatastoreVerdict(document));
        Assert.Empty(kind.CrdVerdict(document));
    }

    [Theory]
    [MemberData(nameof(CrdKind.Plurals), MemberType = typeof(CrdKind))]
    public void PrinterColumns_ShowFieldsOfTheSchema_WithTheirTypes(string plural)
    {
        var crd = CrdKind.Named(plural).Crd;
        var columns = crd.Version["additionalPrinterColumns"]!.AsArray().Select(c => c!.AsObject()).ToList();

        Assert.Equal(("Age", "date", ".metadata.creationTimestamp"), ((string?)columns[^1]["name"], (string?)columns[^1]["type"], (string?)columns[^1]["jsonPath"]));
        foreach (var column in columns.SkipLast(1))
        {
            var path = (string)column["jsonPath"]!;
            Assert.StartsWith(".spec.", path, StringComparison.Ordinal);
            var field = crd.Schema["properties"]!["spec"]!["properties"]![path[".spec.".Length..]];
            Assert.True(field is not null, $"{plural}: printer column {column["name"]} shows {path}, which the schema does not have");
            Assert.Equal((string?)field["type"], (string?)column["type"]);
        }
    }

    // The spec fields (and spec itself) that the datastores refuse a document without: the ones
    // whose removal from the minimal document makes the validator say no.
    private static HashSet<string> RequiredByTheDatastore(CrdKind kind)
    {
        var required = new HashSet<string>();
        var minimal = kind.MinimalDocument();
        Assert.Null(kind.DatastoreVerdict(minimal));
        if (minimal["spec"] is not JsonObject spec)
        {
            minimal["spec"] = new JsonObject();
            Assert.Null(kind.DatastoreVerdict(minimal));
            return RequiredInItems(kind, minimal, required);
        }
        var withoutSpec = minimal.DeepClone().AsObject();
        withoutSpec.Remove("spec");
        if (kind.DatastoreVerdict(withoutSpec) is not null)
        {
            required.Add("spec");
        }
        foreach (var (name, _) in spec)
        {
            var without = minimal.DeepClone().AsObject();
            without["spec"]!.AsObject().Remove(name);
            Assert.True(kind.DatastoreVerdict(without) is not null, $"{kind.Kind}: the minimal document's spec.{name} is not needed; drop it from CrdKind");
            required.Add("spec." + name);
        }
        foreach (var (field, value) in OptionalObjects.Where(o => o.Kind == kind.Kind).Select(o => (o.Field, o.Value)))
        {
            foreach (var (name, _) in JsonNode.Parse(value)!.AsObject())
            {
                var without = minimal.DeepClone().AsObject();
                var inner = JsonNode.Parse(value)!.AsObject();
                inner.Remove(name);
                without["spec"]![field] = inner;
                if (kind.DatastoreVerdict(without) is not null)
                {
                    required.Add($"spec.{field}.{name}");
                }
            }
        }
        return RequiredInItems(kind, minimal, required);
    }

    private static HashSet<string> RequiredInItems(CrdKind kind, JsonObject minimal, HashSet<string> required)
    {
        foreach (var (field, value) in OptionalArrayItems.Where(o => o.Kind == kind.Kind).Select(o => (o.Field, o.Value)))
        {
            foreach (var (name, _) in JsonNode.Parse(value)!.AsObject())
            {
                var without = minimal.DeepClone().AsObject();
                var inner = JsonNode.Parse(value)!.AsObject();
                inner.Remove(name);
                without["spec"] ??= new JsonObject();
                without["spec"]![field] = new JsonArray(inner);
                if (kind.DatastoreVerdict(without) is not null)
                {
                    required.Add($"spec.{field}[].{name}");
                }
            }
        }
        return required;
    }

    // Optional spec fields that are lists of objects, with one item of the fields that stand alone
    // (cidr and matchOperator go together): inside an item, what the datastore refuses to go without is required too.
    private static readonly (string Kind, string Field, string Value)[] OptionalArrayItems =
    [
        ("BGPConfiguration", "communities", """{"name":"rack-a","value":"65000:1"}"""),
        ("BGPConfiguration", "prefixAdvertisements", """{"cidr":"10.0.0.0/8","communities":["65000:1"]}"""),
        ("BGPFilter", "exportV4", """{"prefixLength":{"min":8,"max":32},"source":"RemotePeers","action":"Accept"}"""),
        ("BGPFilter", "importV4", """{"prefixLength":{"min":8,"max":32},"action":"Accept"}"""),
        ("BGPFilter", "exportV6", """{"prefixLength":{"min":8,"max":128},"source":"RemotePeers","action":"Accept"}"""),
        ("BGPFilter", "importV6", """{"prefixLength":{"min":8,"max":128},"action":"Accept"}"""),
    ];

    // Optional spec fields that are objects, with a complete value: inside them, what the datastore
    // refuses to go without is required too.
    private static readonly (string Kind, string Field, string Value)[] OptionalObjects =
    [
        ("BGPPeer", "passwordSecretRef", """{"name":"tor-bgp","key":"password"}"""),
    ];
}
