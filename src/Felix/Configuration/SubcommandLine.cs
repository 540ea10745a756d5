using System.CommandLine;
using System.CommandLine.Help;

namespace RoutedNet.Felix.Configuration;

/// <summary>
/// The command line of a `routednet-node` subcommand (install-cni, cleanup): its options hang on
/// a command named after it under the root, so that --help shows `routednet-node NAME [options]`
/// and the subcommand's own description rather than the agent's.
/// </summary>
internal sealed class SubcommandLine
{
    private readonly Command _root;

    public SubcommandLine(string name, string description)
    {
        // Named here rather than after the running executable: the same file runs as routednetctl.
        _root = new Command("routednet-node") { Options = { new HelpOption() } };
        Command = new Command(name, description);
        _root.Subcommands.Add(Command);
    }

    /// <summary>Where the subcommand's options go.</summary>
    public Command Command { get; }

    /// <summary>Parses the arguments that follow the subcommand's name.</summary>
    public ParseResult Parse(IReadOnlyList<string> args) => _root.Parse([Command.Name, .. args]);
}
