using System.CommandLine;
using System.CommandLine.Parsing;

namespace RoutedNet.Ctl;

/// <summary>
/// Parses and runs the command line. A command line that does not parse is a usage error
/// (<see cref="CtlExitCode.Usage"/>): one "error:" line naming the problems and where help is, instead of
/// System.CommandLine's exit 1 and a full help page.
/// </summary>
internal static class CtlCommandLine
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? error = null)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            Commands.EtcdFlags.Read(parse);
            Commands.KubeconfigFlag.Read(parse);
            return await parse.InvokeAsync().ConfigureAwait(false);
        }
        await (error ?? Console.Error).WriteLineAsync(
            $"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see `{string.Join(' ', Path(parse.CommandResult))} --help`)").ConfigureAwait(false);
        return (int)CtlExitCode.Usage;
    }

    private static IEnumerable<string> Path(CommandResult result)
    {
        var names = new Stack<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Push(c.Parent is null ? "routednetctl" : c.Command.Name);
            }
        }
        return names;
    }
}
