using RoutedNet.Ctl.Lab.Netpol;

namespace RoutedNet.Ctl.Tests.Lab;

/// <summary>`lab netpol` reads the shared case file, and the layout it builds is the lab notes' Latin square.</summary>
public sealed class NetpolCaseFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-netpol-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_TheRepositoryFile_EveryCaseHasStepsAndEveryProbe81Cells()
    {
        var cases = NetpolCaseFile.Load(Path.Combine(AppContext.BaseDirectory, "netpol", "cases.yaml"));

        Assert.True(cases.Count >= 29, $"{cases.Count} cases");
        Assert.Contains(cases, c => c.ShortName == "C1");
        Assert.All(cases, c => Assert.NotEmpty(c.Steps));
        Assert.All(cases.SelectMany(c => c.Steps).SelectMany(s => s.Probes), p =>
        {
            Assert.Equal(81, p.Expect.Length);
            Assert.Equal(Enumerable.Range(0, 9).Select(i => '-'), Enumerable.Range(0, 9).Select(i => p.Expect[(i * 9) + i]));
        });
    }

    [Theory]
    [InlineData("cases: [{name: A, steps: [{probes: [{protocol: ICMP, port: 80, expect: x}]}]}]", "protocol \"ICMP\" must be TCP, UDP or SCTP")]
    [InlineData("cases: [{name: A, steps: [{probes: [{protocol: TCP, port: 80, expect: \"-X\"}]}]}]", "TCP/80: expect must be 81 cells")]
    [InlineData("cases: [{name: A, steps: [{probes: [{protocol: TCP, port: 0, expect: x}]}]}]", "port must be 1..65535")]
    [InlineData("cases: [{steps: []}]", "case 1: needs a name")]
    [InlineData("cases: [{name: A x, steps: []}, {name: A y, steps: []}]", "two cases are named A")]
    [InlineData("other: 1", "must be one YAML document with a list \"cases\"")]
    public void Load_Malformed_OneLineNamingCaseAndField(string yaml, string message)
    {
        var path = Path.Combine(_dir, "cases.yaml");
        File.WriteAllText(path, yaml);

        var e = Assert.Throws<CtlException>(() => NetpolCaseFile.Load(path));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NodeOf_LatinSquare_AsTheLabNotesPlaceThePods()
    {
        var placed = NetpolLayout.PodIds.Select((id, i) => (id, Node: NetpolLayout.NodeOf(i / 3, i % 3, 3)))
            .GroupBy(p => p.Node).OrderBy(g => g.Key).Select(g => string.Join(' ', g.Select(p => p.id).Order(StringComparer.Ordinal)));

        Assert.Equal(["x/a y/b z/c", "x/b y/c z/a", "x/c y/a z/b"], placed);
    }

    [Fact]
    public void Wrong_LoopbackAndMatchingCellsNotCounted()
    {
        Assert.Equal(0, NetpolMatrix.Wrong("-X.", "-X."));
        Assert.Equal(2, NetpolMatrix.Wrong("-X.X", "-.X-"));
    }

    [Fact]
    public void Render_WrongCellMarkedUnderItsColumn()
    {
        var text = NetpolMatrix.Render(["x/a", "x/b"], "-XX-", "-.X-");

        Assert.Contains("x/a   -X" + new string(' ', 10) + "-." + new string(' ', 10) + " !", text, StringComparison.Ordinal);
    }
}
