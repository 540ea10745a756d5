using System.CommandLine;
using RoutedNet.Ctl.Output;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Commands;

/// <summary>apply | create | delete -f FILE (<see cref="FileCommands"/>), and get KIND [NAME] -o FORMAT.</summary>
internal static class ResourceCommands
{
    public static IEnumerable<Command> Build(Option<string?> datastore)
    {
        foreach (var command in FileCommands.Build(datastore))
        {
            yield return command;
        }
        yield return Get(datastore);
        yield return LabelCommand.Build(datastore);
    }

    private static Command Get(Option<string?> datastore)
    {
        var kindArgument = new Argument<string>("KIND") { Description = "Resource kind, e.g. ippools, nodes, bgppeers" };
        var nameArgument = new Argument<string?>("NAME") { Description = "Only this object", Arity = ArgumentArity.ZeroOrOne };
        var output = OutputOption.Create();
        var ns = NamespaceOption.Create();
        var command = new Command("get", "Show resources of a kind") { kindArgument, nameArgument, output, ns };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var kind = Kinds.Find(parse.GetValue(kindArgument)!);
            var name = parse.GetValue(nameArgument);
            var inNamespace = parse.GetValue(ns);
            IReadOnlyList<Datastore.Resources.Resource> items;
            if (name is null)
            {
                var list = await kind.ListAsync(store, default).ConfigureAwait(false);
                items = kind.Namespaced && inNamespace is not null ? [.. list.Items.Where(i => i.Metadata.Namespace == inNamespace)] : list.Items;
                foreach (var bad in list.Undecodable)
                {
                    await Console.Error.WriteLineAsync($"warning: {bad.Reason}; skipped").ConfigureAwait(false);
                }
            }
            else
            {
                var key = NamespaceOption.Key(kind, name, inNamespace);
                items = [await kind.GetAsync(store, key, default).ConfigureAwait(false) ?? throw new CtlException(CtlExitCode.Problem, $"{kind.Kind} \"{key}\" not found")];
            }
            var format = parse.GetValue(output);
            // What the nodes announce for each Service, from the same store the agents read.
            var announced = kind.Kind == Datastore.Resources.Service.KindName && format is OutputFormat.Table or OutputFormat.Wide
                ? await ServiceAnnouncedColumn.LoadAsync(store, default).ConfigureAwait(false)
                : null;
            Console.Write(ResourceFormatter.Format(kind, items, format, single: name is not null, announced));
            return 0;
        }));
        return command;
    }
}
