using System.Text.Json;
using RoutedNet.Felix.Kubernetes;

namespace RoutedNet.Felix.Tests.Kubernetes;

public sealed class NetworkConditionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 21, 0, 0, TimeSpan.Zero);

    private static JsonElement Node(string conditions) =>
        JsonDocument.Parse($$$"""{"metadata":{"name":"n1","resourceVersion":"42"},"status":{"conditions":[{{{conditions}}}]}}""").RootElement;

    private static JsonElement PatchOf(JsonElement node) => JsonDocument.Parse(NetworkCondition.Patch(node, Now)!).RootElement;

    [Fact]
    public void Patch_KubeletConditionsOnly_OursAddedTheirsKeptWithTheResourceVersion()
    {
        var patch = PatchOf(Node("""{"type":"Ready","status":"True","reason":"KubeletReady"}"""));

        Assert.Equal("42", patch.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        var conditions = patch.GetProperty("status").GetProperty("conditions");
        Assert.Equal(2, conditions.GetArrayLength());
        Assert.Equal("KubeletReady", conditions[0].GetProperty("reason").GetString());
        Assert.Equal(("NetworkUnavailable", "False", "RoutedNetIsUp"), (conditions[1].GetProperty("type").GetString(), conditions[1].GetProperty("status").GetString(), conditions[1].GetProperty("reason").GetString()));
    }

    [Fact]
    public void Patch_CloudSetItTrue_ReplacedByFalseInPlace()
    {
        var patch = PatchOf(Node("""{"type":"NetworkUnavailable","status":"True","reason":"NoRouteCreated"},{"type":"Ready","status":"True"}"""));

        var conditions = patch.GetProperty("status").GetProperty("conditions");
        Assert.Equal(2, conditions.GetArrayLength());
        Assert.Equal(("False", "RoutedNetIsUp"), (conditions[0].GetProperty("status").GetString(), conditions[0].GetProperty("reason").GetString()));
    }

    [Fact]
    public void Patch_AlreadyOurs_NothingToWrite()
    {
        Assert.Null(NetworkCondition.Patch(Node("""{"type":"NetworkUnavailable","status":"False","reason":"RoutedNetIsUp"}"""), Now));
    }
}
