using System.CommandLine;
using RoutedNet.Ctl.Output;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Commands;

/// <summary>apply | create | delete -f FILE, and get KIND [NAME] -o FORMAT.</summary>
internal static class ResourceCommands
{
    public static IEnumerable<Command> Build(Option<string?> datastore)
    {
        yield return FileCommand("apply", "Create or replace the resources in FILE (YAML or JSON, several documents)", datastore,
            async (store, kind, resource) => { await kind.ApplyAsync(store, resource, default).ConfigureAwait(false); return "applied"; });
        yield return FileCommand("create", "Create the resources in FILE; fails for one that exists", datastore,
            async (store, kind, resource) => { await kind.CreateAsync(store, resource, default).ConfigureAwait(false); return "created"; });
        yield return Delete(datastore);
        yield return Get(datastore);
        yield return LabelCommand.Build(datastore);
    }

    private static Command FileCommand(string name, string description, Option<string?> datastore, Func<IStore, IKindOps, Datastore.Resources.Resource, Task<string>> each)
    {
        var file = new Option<string>("--filename", "-f") { Description = "File to read, or - for stdin", Required = true };
        var command = new Command(name, description) { file };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var path = parse.GetValue(file)!;
            var documents = DocumentReader.Read(CtlRunner.ReadFile(path), path);
            foreach (var (kind, document) in documents)
            {
                var resource = name == "delete" ? document : await SecretFields.RestoreAsync(store, document, default).ConfigureAwait(false);
                var done = await each(store, kind, resource).ConfigureAwait(false);
                Console.WriteLine($"{kind.Kind} \"{resource.Name}\" {done}");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>`delete -f FILE` (the resources named in it) or `delete KIND NAME [NAME…]`, as kubectl.</summary>
    private static Command Delete(Option<string?> datastore)
    {
        var file = new Option<string?>("--filename", "-f") { Description = "File naming the resources to delete, or - for stdin" };
        var kindArgument = new Argument<string?>("KIND") { Description = "Resource kind, e.g. ippool, bgppeer (instead of -f)", Arity = ArgumentArity.ZeroOrOne };
        var names = new Argument<string[]>("NAME") { Description = "The objects of KIND to delete", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("delete", "Delete the resources named in FILE, or KIND NAME [NAME…]") { file, kindArgument, names };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var path = parse.GetValue(file);
            var kindName = parse.GetValue(kindArgument);
            var objects = parse.GetValue(names) ?? [];
            IReadOnlyList<(IKindOps Kind, string Name)> targets = (path, kindName, objects.Length) switch
            {
                (not null, null, 0) => [.. DocumentReader.Read(CtlRunner.ReadFile(path), path).Select(d => (d.Kind, d.Resource.Name))],
                (null, not null, > 0) => [.. objects.Select(n => (Kinds.Find(kindName), n))],
                (null, not null, 0) => throw new CtlException($"delete {kindName}: name the object(s) to delete (delete KIND NAME [NAME…])"),
                _ => throw new CtlException("delete takes either -f FILE or KIND NAME [NAME…], not both"),
            };
            foreach (var (kind, name) in targets)
            {
                await kind.DeleteAsync(store, name, default).ConfigureAwait(false);
                Console.WriteLine($"{kind.Kind} \"{name}\" deleted");
            }
            return 0;
        }));
        command.Validators.Add(result =>
        {
            if (result.GetResult(file) is null && result.GetResult(kindArgument) is null)
            {
                result.AddError("delete needs -f FILE or KIND NAME [NAME…]");
            }
        });
        return command;
    }

    private static Command Get(Option<string?> datastore)
    {
        var kindArgument = new Argument<string>("KIND") { Description = "Resource kind, e.g. ippools, nodes, bgppeers" };
        var nameArgument = new Argument<string?>("NAME") { Description = "Only this object", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "table, wide, json or yaml", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "wide", "json", "yaml");
        var command = new Command("get", "Show resources of a kind") { kindArgument, nameArgument, output };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var kind = Kinds.Find(parse.GetValue(kindArgument)!);
            var name = parse.GetValue(nameArgument);
            IReadOnlyList<Datastore.Resources.Resource> items;
            if (name is null)
            {
                items = await kind.ListAsync(store, default).ConfigureAwait(false);
            }
            else
            {
                items = [await kind.GetAsync(store, name, default).ConfigureAwait(false) ?? throw new CtlException(CtlExitCode.Problem, $"{kind.Kind} \"{name}\" not found")];
            }
            Console.Write(ResourceFormatter.Format(kind, items, parse.GetValue(output)!, single: name is not null));
            return 0;
        }));
        return command;
    }
}
