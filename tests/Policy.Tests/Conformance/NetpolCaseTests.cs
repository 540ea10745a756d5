namespace RoutedNet.Policy.Tests.Conformance;

/// <summary>
/// Every case of tests/netpol/cases.yaml (the lab notes' §4 conformance cases and ours) against
/// the model: each probe's 81 cells, loopback ignored, zero wrong cells.
/// </summary>
public sealed class NetpolCaseTests
{
    private static readonly string CasesPath = Path.Combine(AppContext.BaseDirectory, "netpol", "cases.yaml");

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in NetpolCase.Load(CasesPath))
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Fact]
    public void CaseFile_HasEveryCaseOfTheLabNotes()
    {
        var names = NetpolCase.Load(CasesPath).Select(c => c.Name.Split(' ')[0]).ToHashSet();
        foreach (var id in new[] { "C1", "C2", "C3", "C4", "C5", "C7", "C8", "C9", "C11", "C12", "C14", "C15", "C17", "C18", "C19", "C21", "C22", "C23", "C25", "C26", "C27", "C28", "C29" })
        {
            Assert.Contains(id, names);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Case_ModelMatchesExpectedTables(string name)
    {
        var @case = NetpolCase.Load(CasesPath).Single(c => c.Name == name);
        var world = new NetpolWorld();
        var failures = new List<string>();
        for (var s = 0; s < @case.Steps.Count; s++)
        {
            var step = @case.Steps[s];
            world.Run(step);
            var snapshot = world.Snapshot();
            Assert.Empty(snapshot.Invalid);
            foreach (var probe in step.Probes)
            {
                var expected = probe.Cells;
                Assert.Equal(81, expected.Length);
                var actual = NetpolWorld.Matrix(snapshot, probe.Protocol, probe.Port);
                Assert.Equal(actual, NetpolWorld.Matrix(snapshot, probe.Protocol, probe.Port, explain: false));
                var wrong = Enumerable.Range(0, 81).Count(i => expected[i] != '-' && i / 9 != i % 9 && expected[i] != actual[i]);
                if (wrong > 0)
                {
                    failures.Add($"step {s + 1} ({step.Description}) {probe.Protocol}/{probe.Port}: {wrong} wrong cells\nexpected:\n{NetpolWorld.Format(expected)}\nmodel:\n{NetpolWorld.Format(actual)}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
