using System.CommandLine;
using RoutedNet.Ctl.Output;

namespace RoutedNet.Ctl.Tests.Output;

/// <summary>Every command that prints data takes the same -o table|wide|json|yaml (README "Output").</summary>
public class OutputOptionTests
{
    public static TheoryData<string> DataCommands => new()
    {
        "get", "ipam show", "ipam check", "ipam release", "ipam gc", "ipam configure",
        "node status", "bgp peers", "bgp rib", "routes", "lab status", "lab add-pod",
    };

    private static Command Find(string path)
    {
        Command command = CtlRoot.Build();
        foreach (var name in path.Split(' '))
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }
        return command;
    }

    private static IEnumerable<(string Path, Command Command)> All(Command command, string path = "")
    {
        yield return (path.Trim(), command);
        foreach (var child in command.Subcommands)
        {
            foreach (var found in All(child, path + " " + child.Name))
            {
                yield return found;
            }
        }
    }

    [Theory]
    [MemberData(nameof(DataCommands))]
    public void DataCommand_HasTheSharedOutputOption(string path)
    {
        var output = Find(path).Options.SingleOrDefault(o => o.Name == "--output");

        Assert.True(output is Option<OutputFormat>, $"`{path}` has no shared -o (OutputOption.Create)");
        Assert.Contains("-o", output!.Aliases);
    }

    [Fact]
    public void EveryOutputOption_AcceptsAllFourFormats()
    {
        var root = CtlRoot.Build();
        foreach (var (path, command) in All(root).Where(c => c.Command.Options.Any(o => o.Name == "--output")))
        {
            foreach (var format in OutputOption.Names)
            {
                var args = path.Split(' ').Concat(["-o", format]);
                var errors = root.Parse(args.ToArray()).Errors.Where(e => e.Message.Contains("-o", StringComparison.Ordinal) || e.Message.Contains(format, StringComparison.Ordinal));
                Assert.True(!errors.Any(), $"`{path} -o {format}`: {string.Join("; ", errors.Select(e => e.Message))}");
            }
        }
    }
}
