using System.Text.Json;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>`delete KIND NAME` and `label KIND NAME key=value|key-`, as kubectl has them.</summary>
public class DeleteAndLabelCommandTests
{
    private const string Pools = """
        apiVersion: routednet.io/v1
        kind: IPPool
        metadata:
          name: p1
        spec:
          cidr: 10.244.0.0/16
        ---
        apiVersion: routednet.io/v1
        kind: IPPool
        metadata:
          name: p2
        spec:
          cidr: 10.245.0.0/16
        """;

    private static async Task<CtlProcess> WithPoolsAsync()
    {
        var ctl = new CtlProcess();
        var apply = await ctl.RunAsync("apply", "-f", ctl.File("pools.yaml", Pools));
        Assert.True(apply.Exit == 0, apply.Stderr);
        return ctl;
    }

    private static async Task<Dictionary<string, string>> LabelsAsync(CtlProcess ctl, string name)
    {
        var get = await ctl.RunAsync("get", "ippool", name, "-o", "json");
        Assert.True(get.Exit == 0, get.Stderr);
        using var json = JsonDocument.Parse(get.Stdout);
        return json.RootElement.GetProperty("metadata").TryGetProperty("labels", out var labels)
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
    }

    [Fact]
    public async Task DeleteKindName_DeletesOnlyThatObject()
    {
        await using var ctl = await WithPoolsAsync();

        var delete = await ctl.RunAsync("delete", "ippool", "p1");

        Assert.True(delete.Exit == 0, delete.Stderr);
        Assert.Equal("IPPool \"p1\" deleted\n", delete.Stdout);
        Assert.Equal(1, (await ctl.RunAsync("get", "ippool", "p1")).Exit);
        Assert.Equal(0, (await ctl.RunAsync("get", "ippool", "p2")).Exit);
    }

    [Fact]
    public async Task DeleteKindName_NotThere_Exit1()
    {
        await using var ctl = await WithPoolsAsync();

        var delete = await ctl.RunAsync("delete", "ippool", "nope");

        Assert.Equal(1, delete.Exit);
        Assert.Contains("nope", delete.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("delete", "ippool")]
    public async Task Delete_NothingNamed_Exit2(params string[] args)
    {
        await using var ctl = await WithPoolsAsync();

        var delete = await ctl.RunAsync(args);

        Assert.Equal(2, delete.Exit);
        Assert.Single(delete.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(0, (await ctl.RunAsync("get", "ippool", "p1")).Exit);
    }

    [Fact]
    public async Task DeleteFile_StillDeletesWhatTheFileNames()
    {
        await using var ctl = await WithPoolsAsync();

        var delete = await ctl.RunAsync("delete", "-f", ctl.File("pools.yaml", Pools));

        Assert.True(delete.Exit == 0, delete.Stderr);
        Assert.Equal(1, (await ctl.RunAsync("get", "ippool", "p2")).Exit);
    }

    [Fact]
    public async Task Label_SetThenRemove_LikeKubectl()
    {
        await using var ctl = await WithPoolsAsync();

        var set = await ctl.RunAsync("label", "ippool", "p1", "rack=r1", "example.com/zone=z-1");
        Assert.True(set.Exit == 0, set.Stderr);
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1", ["example.com/zone"] = "z-1" }, await LabelsAsync(ctl, "p1"));

        var remove = await ctl.RunAsync("label", "ippool", "p1", "rack-");
        Assert.True(remove.Exit == 0, remove.Stderr);
        Assert.Equal(new Dictionary<string, string> { ["example.com/zone"] = "z-1" }, await LabelsAsync(ctl, "p1"));
        Assert.Empty(await LabelsAsync(ctl, "p2"));
    }

    [Fact]
    public async Task Label_ChangeValue_NeedsOverwrite()
    {
        await using var ctl = await WithPoolsAsync();
        Assert.Equal(0, (await ctl.RunAsync("label", "ippool", "p1", "rack=r1")).Exit);

        var refused = await ctl.RunAsync("label", "ippool", "p1", "rack=r2");
        Assert.Equal(1, refused.Exit);
        Assert.Contains("--overwrite", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("r1", (await LabelsAsync(ctl, "p1"))["rack"]);

        var overwritten = await ctl.RunAsync("label", "ippool", "p1", "rack=r2", "--overwrite");
        Assert.True(overwritten.Exit == 0, overwritten.Stderr);
        Assert.Equal("r2", (await LabelsAsync(ctl, "p1"))["rack"]);
    }

    [Theory]
    [InlineData("rack")]
    [InlineData("-rack=r1")]
    [InlineData("rack=r 1")]
    [InlineData("Bad_Prefix/rack=r1")]
    public async Task Label_BadSyntax_Exit2NothingChanged(string change)
    {
        await using var ctl = await WithPoolsAsync();

        var label = await ctl.RunAsync("label", "ippool", "p1", change);

        Assert.Equal(2, label.Exit);
        Assert.Single(label.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(await LabelsAsync(ctl, "p1"));
    }

    [Fact]
    public async Task Label_MissingObject_Exit1()
    {
        await using var ctl = await WithPoolsAsync();

        var label = await ctl.RunAsync("label", "ippool", "nope", "rack=r1");

        Assert.Equal(1, label.Exit);
        Assert.Contains("not found", label.Stderr, StringComparison.Ordinal);
    }
}
