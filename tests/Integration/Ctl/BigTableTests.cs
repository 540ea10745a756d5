using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// `bgp rib` and `routes` with a table far past gRPC's 4 MiB default message size (100k routes
/// learned from the mesh peer): every form prints every route, exit 0.
/// </summary>
public sealed class BigTableTests(BigTableFixture table) : IClassFixture<BigTableFixture>
{
    private static readonly TimeSpan Convergence = TimeSpan.FromMinutes(3);

    private Task<ProcessResult> CtlAsync(params string[] args) => TwoAgentFixture.CtlAsync([.. args, "--node-socket", table.N1Socket]);

    private Task AllLearnedAsync() => Eventually.Until(
        async () =>
        {
            var peers = await CtlAsync("bgp", "peers", "-o", "json");
            if (peers.ExitCode != 0)
            {
                return false;
            }
            using var json = JsonDocument.Parse(peers.Stdout);
            return json.RootElement.GetProperty("peers").EnumerateArray()
                .Any(p => p.GetProperty("address").GetString() == "172.18.0.3"
                    && p.GetProperty("counters").GetProperty("prefixesAccepted").GetInt32() == BigTableFixture.N2Blocks);
        },
        $"n1 to accept n2's {BigTableFixture.N2Blocks} blocks",
        Convergence);

    [Fact]
    public async Task BgpRib_100kRoutes_EveryEntryInJsonAndTable()
    {
        await AllLearnedAsync();

        var json = await CtlAsync("bgp", "rib", "-o", "json");
        var text = await CtlAsync("bgp", "rib");

        Assert.True(json.ExitCode == 0, json.Stderr);
        Assert.True(json.Stdout.Length > 4 << 20, $"only {json.Stdout.Length} bytes of JSON");
        using (var rib = JsonDocument.Parse(json.Stdout))
        {
            var prefixes = rib.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("prefix").GetString()).ToHashSet();
            Assert.Equal(BigTableFixture.N2Blocks + 1, prefixes.Count);
            Assert.Contains(BigTableFixture.N2Block(BigTableFixture.N2Blocks - 1), prefixes);
        }
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Equal(BigTableFixture.N2Blocks + 2, text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Routes_100kRoutes_EveryRouteClean()
    {
        await AllLearnedAsync();

        ProcessResult json = null!;
        await Eventually.Until(
            async () => (json = await CtlAsync("routes", "-o", "json")).ExitCode == 0,
            "n1's 100k routes programmed",
            Convergence);
        using (var routes = JsonDocument.Parse(json.Stdout))
        {
            Assert.True(routes.RootElement.GetProperty("clean").GetBoolean());
            Assert.Equal(BigTableFixture.N2Blocks + 1, routes.RootElement.GetProperty("routes").GetArrayLength());
        }
        var yaml = await CtlAsync("routes", "-o", "yaml");
        Assert.True(yaml.ExitCode == 0, yaml.Stderr);
        Assert.Equal(BigTableFixture.N2Blocks + 1, yaml.Stdout.Split('\n').Count(l => l.StartsWith("- prefix: ", StringComparison.Ordinal)));
    }
}
