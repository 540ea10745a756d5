using System.Text.Json;
using RoutedNet.Ctl;
using RoutedNet.Ctl.Output;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Resources;

public class DocumentReaderTests
{
    private const string TwoDocuments = """
        apiVersion: routednet.io/v1
        kind: IPPool
        metadata:
          name: p1
        spec:
          cidr: 10.244.0.0/16
          blockSize: 26
          disabled: false
        ---
        apiVersion: routednet.io/v1
        kind: Node
        metadata:
          name: n1
          labels:
            rack: "r1"
        spec:
          addresses: [172.18.0.2/24]
          asNumber: 64512
        """;

    [Fact]
    public void Read_YamlWithTwoDocuments_TypedResourcesInOrder()
    {
        var docs = DocumentReader.Read(TwoDocuments, "f.yaml");

        Assert.Equal(2, docs.Count);
        var pool = Assert.IsType<IPPool>(docs[0].Resource);
        Assert.Equal(("p1", "10.244.0.0/16", 26), (pool.Name, pool.Spec.Cidr, pool.Spec.BlockSize));
        var node = Assert.IsType<Node>(docs[1].Resource);
        Assert.Equal("r1", node.Metadata.Labels?["rack"]);
        Assert.Equal(64512u, node.Spec.AsNumber);
        Assert.Equal(["172.18.0.2/24"], node.Spec.Addresses);
    }

    [Fact]
    public void Read_JsonArray_ReadsEveryObject()
    {
        var docs = DocumentReader.Read("""[{"apiVersion":"routednet.io/v1","kind":"IPAMConfig","metadata":{"name":"default"},"spec":{"strictAffinity":true}}]""", "f.json");

        Assert.True(Assert.IsType<IPAMConfig>(Assert.Single(docs).Resource).Spec.StrictAffinity);
    }

    [Theory]
    [InlineData("apiVersion: routednet.io/v1\nmetadata:\n  name: x\n", "no \"kind\"")]
    [InlineData("apiVersion: v2\nkind: IPPool\nmetadata:\n  name: x\n", "apiVersion must be routednet.io/v1")]
    [InlineData("apiVersion: routednet.io/v1\nkind: Gadget\nmetadata:\n  name: x\n", "unknown kind \"Gadget\"")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nspec:\n  cidr: 10.0.0.0/8\n", "no metadata.name")]
    [InlineData("kind: [unclosed", "not valid YAML")]
    [InlineData("apiVersion: routednet.io/v1\nkind: 5\nmetadata:\n  name: x\n", "\"kind\" must be a string")]
    [InlineData("apiVersion: routednet.io/v1\nkind: [IPPool]\nmetadata:\n  name: x\n", "\"kind\" must be a string")]
    [InlineData("apiVersion: 1\nkind: IPPool\nmetadata:\n  name: x\n", "\"apiVersion\" must be a string")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  cidr: 10.0.0.0/8\n  blocksize: 26\n", "unknown field spec.blocksize (did you mean spec.blockSize?)")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  nmae: x\n", "unknown field metadata.nmae")]
    [InlineData("apiVersion: routednet.io/v1\nkind: BGPPeer\nmetadata:\n  name: x\nspec:\n  peerIP: 10.0.0.1\n  asNumber: 64500\n  holdtime: 90\n", "unknown field spec.holdtime (did you mean spec.holdTime?)")]
    [InlineData("apiVersion: routednet.io/v1\nkind: Node\nmetadata:\n  name: x\nspec:\n  addresses: [10.0.0.1/24]\nstatus: {}\n", "unknown field status")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  cidr: 10.0.0.0/8\nspec:\n  cidr: 10.1.0.0/16\n", "Duplicate key")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\n? [a, b]\n: c\n", "keys must be plain strings")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata: 5\n", "metadata")]
    [InlineData("apiVersion: routednet.io/v1\nkind: IPPool\nmetadata:\n  name: x\nspec:\n  blockSize: 99999999999\n", "spec.blockSize")]
    [InlineData("[1, 2]", "document 1 is not a mapping")]
    public void Read_BadDocument_ErrorNamesFileAndProblem(string text, string expected)
    {
        var e = Assert.Throws<CtlException>(() => DocumentReader.Read(text, "bad.yaml"));

        Assert.Contains("bad.yaml", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void YamlWriter_OutputOfGet_ReadsBackAsTheSameResource()
    {
        var (kind, original) = DocumentReader.Read(TwoDocuments, "f.yaml")[1];
        using var json = JsonDocument.Parse(kind.ToJson(original));

        var again = DocumentReader.Read(YamlWriter.Write(json.RootElement), "out.yaml");

        Assert.Equal(kind.ToJson(original), kind.ToJson(Assert.Single(again).Resource));
    }

    [Fact]
    public void Read_KubectlUsersService_PortsAndSelectorKeptAsWrittenAMisspeltFieldStillRefused()
    {
        var service = Assert.IsType<Service>(Assert.Single(DocumentReader.Read("""
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports: [{name: http, port: 80, targetPort: http}]
              externalTrafficPolicy: Local
            """, "svc.yaml")).Resource);

        Assert.Equal((ServiceSpec.TypeLoadBalancer, ServiceSpec.PolicyLocal), (service.Spec.Type, service.Spec.ExternalTrafficPolicy));
        var json = JsonSerializer.Serialize(service, Service.JsonTypeInfo);
        Assert.Contains("\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"}]", json, StringComparison.Ordinal);
        Assert.Contains("\"selector\":{\"app\":\"web\"}", json, StringComparison.Ordinal);
        var e = Assert.Throws<CtlException>(() => DocumentReader.Read("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {externalTraficPolicy: Local}\n", "svc.yaml"));
        Assert.Contains("unknown field spec.externalTraficPolicy (did you mean spec.externalTrafficPolicy?)", e.Message, StringComparison.Ordinal);
    }
}
