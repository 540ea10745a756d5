using System.CommandLine;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `label KIND NAME key=value … key- …` (kubectl label): sets and removes labels on one object,
/// compare-and-swap on its revision, so a concurrent writer (the agent keeping its Node) loses
/// nothing: on a conflict the object is read again and the change re-applied.
/// </summary>
internal static class LabelCommand
{
    private const int Attempts = 5;

    public static Command Build(Option<string?> datastore)
    {
        var kindArgument = new Argument<string>("KIND") { Description = "Resource kind, e.g. node, ippool, bgppeer" };
        var nameArgument = new Argument<string>("NAME") { Description = "The object to label" };
        var changes = new Argument<string[]>("LABEL") { Description = "key=value to set, key- to remove", Arity = ArgumentArity.OneOrMore };
        var overwrite = new Option<bool>("--overwrite") { Description = "Allow changing the value of a label that is already set" };
        var command = new Command("label", "Set (key=value) or remove (key-) labels of one object, like kubectl label") { kindArgument, nameArgument, changes, overwrite };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var kind = Kinds.Find(parse.GetValue(kindArgument)!);
            var name = parse.GetValue(nameArgument)!;
            var parsed = parse.GetValue(changes)!.Select(LabelChange.Parse).ToList();
            var what = $"{kind.Kind} \"{name}\"";
            for (var attempt = 1; ; attempt++)
            {
                var current = await kind.GetAsync(store, name, default).ConfigureAwait(false)
                    ?? throw new CtlException(CtlExitCode.Problem, $"{what} not found");
                var labels = LabelChange.Apply(current.Metadata.Labels, parsed, parse.GetValue(overwrite), what);
                try
                {
                    await kind.UpdateAsync(store, current with { Metadata = current.Metadata with { Labels = labels.Count == 0 ? null : labels } }, default).ConfigureAwait(false);
                    Console.WriteLine($"{what} labeled");
                    return 0;
                }
                catch (RevisionConflictException) when (attempt < Attempts)
                {
                    // Someone wrote the object between our read and write: read it again.
                }
            }
        }));
        return command;
    }
}
