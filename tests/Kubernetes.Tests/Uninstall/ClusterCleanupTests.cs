using System.Text;
using System.Text.Json;
using RoutedNet.Kubernetes.Store;
using RoutedNet.Kubernetes.Uninstall;

namespace RoutedNet.Kubernetes.Tests.Uninstall;

/// <summary>What the uninstall hook takes off a core Node: RoutedNet's annotations and the labels it set there, never another's.</summary>
public sealed class ClusterCleanupTests
{
    [Fact]
    public void RemovePatch_OursAndOthers_OnlyRoutedNetKeysAndItsLabelsNulledAtTheNodesVersion()
    {
        var node = JsonDocument.Parse("""
            {"metadata":{"name":"n1","resourceVersion":"17",
             "labels":{"kubernetes.io/hostname":"n1","rack":"r1","zone":"a"},
             "annotations":{"routednet.io/uid":"u","routednet.io/addresses":"172.18.0.2/16","routednet.io/labels":"rack",
                            "routednet.io/some-future-key":"x","example.com/owner":"ops","node.alpha.kubernetes.io/ttl":"0"}}}
            """).RootElement;

        var patch = ClusterCleanup.RemovePatch(node);

        Assert.NotNull(patch);
        Assert.Equal(
            """{"metadata":{"resourceVersion":"17","annotations":{"routednet.io/uid":null,"routednet.io/addresses":null,"routednet.io/labels":null,"routednet.io/some-future-key":null},"labels":{"rack":null}}}""",
            Encoding.UTF8.GetString(patch));
    }

    [Fact]
    public void RemovePatch_NoRoutedNetAnnotation_NoPatchAtAll()
    {
        var node = JsonDocument.Parse("""{"metadata":{"name":"n1","resourceVersion":"3","labels":{"rack":"r1"},"annotations":{"example.com/owner":"ops"}}}""").RootElement;

        Assert.Null(ClusterCleanup.RemovePatch(node));
        Assert.Null(ClusterCleanup.RemovePatch(JsonDocument.Parse("""{"metadata":{"name":"n2","resourceVersion":"4"}}""").RootElement));
    }

    [Fact]
    public void Kinds_EveryCrdKindOnceIpamRecordsFirst()
    {
        var kinds = ClusterCleanup.Kinds.Select(k => k.Kind).ToList();

        Assert.Equal(CrdKinds.ByKind.Keys.Order(StringComparer.Ordinal), kinds.Order(StringComparer.Ordinal));
        Assert.Equal(["IPAMHandle", "BlockAffinity", "IPAMBlock"], kinds.Take(3));
    }
}
