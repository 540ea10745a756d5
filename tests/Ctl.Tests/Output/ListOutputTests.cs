using System.Text;
using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;
using YamlDotNet.RepresentationModel;

namespace RoutedNet.Ctl.Tests.Output;

/// <summary>The streamed list forms: every item in every -o form, the same tree in JSON and YAML, tables aligned past the width rows.</summary>
public class ListOutputTests
{
    private static RibEntry Entry(int i, string peer = "172.18.0.3") => new()
    {
        Prefix = $"10.{i >> 16}.{(i >> 8) & 0xff}.{i & 0xff}/32",
        NextHops = { peer },
        AsPath = { 64500, 65001 },
        DecisionStep = "only path",
        Peer = peer,
    };

    private static string Write(OutputFormat format, IEnumerable<RibEntry> entries)
    {
        using var output = new MemoryStream();
        RibView.WriteAsync(entries.ToAsyncEnumerable(), format, output).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Rib_JsonAndYaml_SameEntries()
    {
        var entries = Enumerable.Range(0, 2500).Select(i => Entry(i)).ToList();

        using var json = JsonDocument.Parse(Write(OutputFormat.Json, entries));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Write(OutputFormat.Yaml, entries)));

        var fromJson = json.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("prefix").GetString()).ToList();
        var fromYaml = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children["entries"]).Children
            .Select(e => ((YamlScalarNode)((YamlMappingNode)e).Children["prefix"]).Value).ToList();
        Assert.Equal(entries.Select(e => e.Prefix), fromJson);
        Assert.Equal(fromJson, fromYaml);
        var first = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children["entries"]).Children[0];
        Assert.Equal(["64500", "65001"], ((YamlSequenceNode)first.Children["asPath"]).Children.Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Rib_Empty_EmptyListInEveryForm()
    {
        using var json = JsonDocument.Parse(Write(OutputFormat.Json, []));

        Assert.Equal(0, json.RootElement.GetProperty("entries").GetArrayLength());
        Assert.Equal("entries: []\n", Write(OutputFormat.Yaml, []));
        Assert.StartsWith("PREFIX", Write(OutputFormat.Table, []), StringComparison.Ordinal);
    }

    [Fact]
    public void Rib_Table_WiderCellAfterTheWidthRowsStillSeparated()
    {
        var entries = Enumerable.Range(0, ListOutput<RibEntry>.WidthRows).Select(i => Entry(i)).Append(Entry(7, "2001:db8:ffff:ffff:ffff:ffff:ffff:1")).ToList();

        var lines = Write(OutputFormat.Table, entries).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(entries.Count + 1, lines.Length);
        Assert.Matches(@"^PREFIX\s{3,}NEXT HOPS\s{3,}AS PATH", lines[0]);
        Assert.Matches(@"^10\.0\.0\.7/32\s{3,}2001:db8:ffff:ffff:ffff:ffff:ffff:1\s{3}64500 65001\s{3,}only path\s{3,}2001:db8", lines[^1]);
        // The rows the widths came from line up under the header.
        Assert.Equal(lines[0].IndexOf("AS PATH", StringComparison.Ordinal), lines[1].IndexOf("64500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Routes_StreamedInChunks_CountsAcrossChunksAndCleanAfterTheList()
    {
        var chunks = Enumerable.Range(0, 3).Select(c =>
        {
            var chunk = new ListRoutesResponse { Protocol = 80 };
            chunk.Routes.Add(Enumerable.Range(0, 1000).Select(i => new RouteStatus
            {
                Prefix = $"10.{c}.{i >> 8}.{i & 0xff}/32",
                Kind = RouteKind.Bgp,
                State = c == 0 && i == 0 ? RouteState.Missing : RouteState.Ok,
            }));
            return chunk;
        }).ToList();
        using var output = new MemoryStream();

        var clean = await RoutesView.WriteAsync(chunks.ToAsyncEnumerable(), OutputFormat.Table, output);

        Assert.False(clean);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("\nFAILED: 1 of 3000 routes are off\n", text, StringComparison.Ordinal);
        Assert.Equal(3000, text.Split('\n').Count(l => l.StartsWith("10.", StringComparison.Ordinal)));
    }
}
