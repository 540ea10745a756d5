using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Tests.Contract;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>
/// Every document the datastore validation tests use (<see cref="ValidationFixtures"/>) gets the
/// same verdict from the CRD schema as from the sqlite/etcd validator, except for the rules a
/// structural schema cannot state, which are listed here (the datastores still enforce them when
/// RoutedNet writes; kubectl on a cluster bypasses only those).
/// </summary>
public sealed partial class CrdVerdictTests
{
    /// <summary>Message fragments of the validator's rules that the CRDs do not express, and why.</summary>
    private static readonly string[] BeyondTheSchema =
    [
        "host bits are set",              // needs the prefix arithmetic of a CIDR
        "overlaps the link-local range",  // a range test; no lookahead in the API server's regexps
        "IPv4 blocks are /20 to /32",     // the schema's bounds are both families' (20-128)
        "IPv6 blocks are /116 to /128",
        "is larger than the pool",        // compares two fields
        "spec.nodeSelector:",             // our selector grammar
        "are exclusive",                  // node and nodeSelector: two fields
        "must be 0 or 3–65535 seconds",   // RFC 4271's hole at 1 and 2
        "bytes; TCP-MD5",                 // maxLength counts characters, the kernel bytes
        "must both be set or both be absent", // BGPFilter cidr and matchOperator: two fields
        "is more than max",               // BGPFilter prefixLength: compares two fields
        "is used twice",                  // community names: unique across list items
        "is neither a name in spec.communities", // a reference to another field
        "only export rules have a source", // one rule type for both lists (the record's), so the schema's import items have it too
        "are of different families",      // BGPPeer sourceAddress against peerIP: two fields
    ];

    public static TheoryData<string, string> Fixtures => Build();

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_CrdSchema_GivesTheDatastoresVerdict(string kind, string document)
    {
        var crdKind = CrdKind.OfKind(kind);
        var json = JsonNode.Parse(document)!;

        var datastore = crdKind.DatastoreVerdict(json);
        var crd = crdKind.CrdVerdict(json);

        if (crd.Count > 0)
        {
            Assert.True(datastore is not null, $"the CRD refuses what the datastores store: {string.Join("; ", crd)}");
            var field = crd[0][..crd[0].IndexOf(": ", StringComparison.Ordinal)];
            Assert.Contains(WithoutIndexes(field), WithoutIndexes(datastore), StringComparison.Ordinal);
        }
        else if (datastore is not null)
        {
            Assert.True(BeyondTheSchema.Any(r => datastore.Contains(r, StringComparison.Ordinal)), $"the CRD stores what the datastores refuse: {datastore}");
        }
    }

    [Fact]
    public void BeyondTheSchema_EveryRule_IsNeededByAFixture()
    {
        var needed = Build()
            .Select(row => (Kind: CrdKind.OfKind((string)row[0]), Json: JsonNode.Parse((string)row[1])!))
            .Where(f => f.Kind.CrdVerdict(f.Json).Count == 0)
            .Select(f => f.Kind.DatastoreVerdict(f.Json))
            .OfType<string>()
            .ToList();

        Assert.All(BeyondTheSchema, rule => Assert.Contains(needed, message => message.Contains(rule, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"cidr":"10.245.0.0/16","blockSize":26}""", "spec.cidr is immutable")]
    [InlineData("""{"cidr":"10.244.0.0/16","blockSize":28}""", "spec.blockSize is immutable")]
    [InlineData("""{"cidr":"10.244.0.0/16"}""", "spec.blockSize is immutable (absent means 24 for IPv4, 122 for IPv6)")]
    public void IPPoolUpdate_RangeOrBlockSizeChanged_RefusedNamingTheRenumbering(string newSpec, string expected)
    {
        var pools = CrdKind.Named("ippools");
        var old = Pool("""{"cidr":"10.244.0.0/16","blockSize":26}""");

        var errors = pools.CrdVerdict(Pool(newSpec), old);

        var error = Assert.Single(errors);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("create a new IPPool", error, StringComparison.Ordinal);
        Assert.Contains("set disabled: true on this one, recreate its pods, then delete it", error, StringComparison.Ordinal);
    }

    [Fact]
    public void IPPoolUpdate_BlockSizeAddedToAPoolWithout_Refused()
    {
        var errors = CrdKind.Named("ippools").CrdVerdict(Pool("""{"cidr":"10.244.0.0/16","blockSize":26}"""), Pool("""{"cidr":"10.244.0.0/16"}"""));

        Assert.Contains("spec.blockSize is immutable", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"cidr":"10.244.0.0/16","blockSize":24}""", """{"cidr":"10.244.0.0/16"}""")]
    [InlineData("""{"cidr":"10.244.0.0/16"}""", """{"cidr":"10.244.0.0/16","blockSize":24}""")]
    [InlineData("""{"cidr":"fd00:244::/56","blockSize":122}""", """{"cidr":"fd00:244::/56"}""")]
    public void IPPoolUpdate_DefaultBlockSizeWrittenOutOrDropped_Accepted(string newSpec, string oldSpec)
    {
        Assert.Empty(CrdKind.Named("ippools").CrdVerdict(Pool(newSpec), Pool(oldSpec)));
    }

    [Fact]
    public void IPPoolUpdate_DisabledAndSelectorChanged_Accepted()
    {
        var errors = CrdKind.Named("ippools").CrdVerdict(
            Pool("""{"cidr":"10.244.0.0/16","blockSize":26,"disabled":true,"nodeSelector":"rack == \"r2\""}"""),
            Pool("""{"cidr":"10.244.0.0/16","blockSize":26}"""));

        Assert.Empty(errors);
    }

    private static JsonObject Pool(string spec) =>
        new() { ["apiVersion"] = Resource.GroupVersion, ["kind"] = "IPPool", ["metadata"] = new JsonObject { ["name"] = "p" }, ["spec"] = JsonNode.Parse(spec) };

    private static TheoryData<string, string> Build()
    {
        var rows = new TheoryData<string, string>();
        void Add<T>(T resource)
            where T : Resource, IResourceKind<T> =>
            rows.Add(T.KindName, JsonSerializer.Serialize(resource, T.JsonTypeInfo));

        foreach (var (cidr, blockSize) in ValidationFixtures.ValidPools.Select(r => ((string)r[0], (int)r[1])))
        {
            Add(NewPool(new IPPoolSpec { Cidr = cidr, BlockSize = blockSize }));
        }
        foreach (var (cidr, blockSize) in ValidationFixtures.InvalidPools.Select(r => ((string)r[0], (int?)r[2])))
        {
            Add(NewPool(new IPPoolSpec { Cidr = cidr, BlockSize = blockSize }));
        }
        foreach (var selector in Rows(ValidationFixtures.BadSelectors).Select(r => (string)r[0]))
        {
            Add(NewPool(new IPPoolSpec { Cidr = "10.244.0.0/16", NodeSelector = selector }));
            Add(NewPeer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, NodeSelector = selector }));
        }
        foreach (var holdTime in Rows(ValidationFixtures.BadHoldTimes).Select(r => (int)r[0]))
        {
            Add(NewPeer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 65000, HoldTime = holdTime }));
        }
        foreach (var (peerIp, asNumber) in ValidationFixtures.BadPeerAddressOrAs.Select(r => ((string)r[0], (uint)r[1])))
        {
            Add(NewPeer(new BGPPeerSpec { PeerIP = peerIp, AsNumber = asNumber }));
        }
        foreach (var (length, c) in ValidationFixtures.TooLongPasswords.Select(r => ((int)r[0], (char)r[1])))
        {
            Add(NewPeer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, Password = new string(c, length) }));
        }
        Add(NewPeer(new BGPPeerSpec { PeerIP = "172.18.0.1", AsNumber = 64500, Password = new string('x', 80) }));
        Add(NewPeer(new BGPPeerSpec { PeerIP = "fd00::1", AsNumber = 65000, HoldTime = 0, KeepaliveTime = 0 }));
        foreach (var (kind, spec) in ValidationFixtures.Documents.Select(r => ((string)r[0], (string)r[1])))
        {
            var document = JsonNode.Parse(spec)!.AsObject();
            document["apiVersion"] = Resource.GroupVersion;
            document["kind"] = kind;
            document["metadata"] = new JsonObject { ["name"] = "x" };
            rows.Add(kind, document.ToJsonString());
        }
        return rows;
    }

    // spec.attributes[0].handleId, spec.block['10.0.0.0/24'] (datastore) or spec.block[10.0.0.0/24] (CRD): the field.
    private static string WithoutIndexes(string path) => IndexOrKey().Replace(path, "");

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex IndexOrKey();

    // TheoryData of one type is also an IEnumerable of that type: name the rows' view.
    private static IEnumerable<object[]> Rows(IEnumerable<object[]> data) => data;

    private static IPPool NewPool(IPPoolSpec spec) => new() { Metadata = new ObjectMeta { Name = "p" }, Spec = spec };

    private static BGPPeer NewPeer(BGPPeerSpec spec) => new() { Metadata = new ObjectMeta { Name = "peer" }, Spec = spec };
}
