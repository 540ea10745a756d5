using System.Text;
using System.Text.Json;
using RoutedNet.Datastore.Resources;
using RoutedNet.Kubernetes.Store;

namespace RoutedNet.Kubernetes.Tests.Store;

public sealed class CustomResourcesTests
{
    [Fact]
    public void ToObject_EncodedNameAndNodeLabel_RoundTripToWhatWasWritten()
    {
        var handle = """{"apiVersion":"routednet.io/v1","kind":"BlockAffinity","metadata":{"name":"Node_A-10-244-3-0-26","uid":"u1","creationTimestamp":"2026-01-01T00:00:00+00:00","labels":{"team":"x"}},"spec":{"node":"Node_A","cidr":"10.244.3.0/26","state":"confirmed"}}""";

        var sent = JsonDocument.Parse(CustomResources.ToObject(BlockAffinity.KindName, "Node_A-10-244-3-0-26", Encoding.UTF8.GetBytes(handle), 42)).RootElement;
        var metadata = sent.GetProperty("metadata");

        Assert.Equal(ObjectNames.Encode("Node_A-10-244-3-0-26"), metadata.GetProperty("name").GetString());
        Assert.Equal("42", metadata.GetProperty("resourceVersion").GetString());
        Assert.False(metadata.TryGetProperty("uid", out _));
        Assert.Equal("Node_A", metadata.GetProperty("labels").GetProperty(NodeLabels.Key).GetString());

        // As the API server would return it: with its own fields added.
        var stored = JsonDocument.Parse(sent.GetRawText().Replace("\"resourceVersion\":\"42\"", "\"resourceVersion\":\"43\",\"uid\":\"srv\",\"generation\":1,\"managedFields\":[]", StringComparison.Ordinal)).RootElement;
        var entry = CustomResources.ToEntry(BlockAffinity.KindName, stored);
        var read = JsonSerializer.Deserialize(entry.Value, BlockAffinity.JsonTypeInfo)!;

        Assert.Equal("Node_A-10-244-3-0-26", entry.Name);
        Assert.Equal(43, entry.ModRevision);
        Assert.Equal("Node_A-10-244-3-0-26", read.Name);
        Assert.Equal("srv", read.Metadata.Uid);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "x" }, read.Metadata.Labels);
        Assert.Null(read.Metadata.Annotations);
        Assert.Equal("10.244.3.0/26", read.Spec.Cidr);
    }
}
