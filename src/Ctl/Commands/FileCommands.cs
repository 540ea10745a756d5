using System.CommandLine;
using System.Globalization;
using System.Net;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// apply | create | delete -f FILE. Every document of the file goes into one store transaction,
/// so a refusal of document k leaves nothing applied (before, documents 1..k-1 stayed), and the
/// store's own validation sees the whole file at once (two overlapping pools in one file).
/// </summary>
internal static class FileCommands
{
    // apply reads, then commits with CAS on what it read: a writer in between costs another round.
    private const int ApplyAttempts = 8;

    private enum Verb
    {
        Apply,
        Create,
    }

    public static IEnumerable<Command> Build(Option<string?> datastore)
    {
        yield return FileCommand(Verb.Apply, "Create or replace the resources in FILE (YAML or JSON, several documents; all or none)", datastore);
        yield return FileCommand(Verb.Create, "Create the resources in FILE; fails, creating none, when one exists", datastore);
        yield return DeleteCommand(datastore);
    }

    private static Option<bool> AllowIpamOption() => new("--allow-ipam-kinds")
    {
        Description = "Also write IPAMBlock, BlockAffinity and IPAMHandle, IPAM's own records (the ipam commands are the safe way to change them)",
    };

    private static Command FileCommand(Verb verb, string description, Option<string?> datastore)
    {
        var file = new Option<string>("--filename", "-f") { Description = "File to read, or - for stdin", Required = true };
        var allowIpam = AllowIpamOption();
        var command = new Command(verb.ToString().ToLowerInvariant(), description) { file, allowIpam };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var path = parse.GetValue(file)!;
            var documents = new List<(IKindOps Kind, Resource Resource)>();
            foreach (var (kind, document) in ReadDocuments(path, parse.GetValue(allowIpam)))
            {
                // A password `get` printed as a placeholder means "keep the stored one".
                documents.Add((kind, await SecretFields.RestoreAsync(store, document, default).ConfigureAwait(false)));
            }
            await CommitAsync(store, retry: verb == Verb.Apply, [.. documents.Select(d => (Func<StoreTransaction, Task>)(async transaction =>
            {
                if (verb == Verb.Apply)
                {
                    await d.Kind.StageApplyAsync(store, transaction, d.Resource, default).ConfigureAwait(false);
                }
                else
                {
                    d.Kind.StageCreate(transaction, d.Resource);
                }
            }))]).ConfigureAwait(false);
            var done = verb == Verb.Apply ? "applied" : "created";
            foreach (var (kind, resource) in documents)
            {
                Console.WriteLine($"{kind.Kind} \"{kind.KeyOf(resource)}\" {done}");
                foreach (var warning in Policy.PolicyValidator.Warnings(resource))
                {
                    await Console.Error.WriteLineAsync($"warning: {kind.Kind} \"{kind.KeyOf(resource)}\": {warning}").ConfigureAwait(false);
                }
            }
            return 0;
        }));
        return command;
    }

    /// <summary>`delete -f FILE` (the resources named in it) or `delete KIND NAME [NAME…]`, as kubectl; all or none.</summary>
    private static Command DeleteCommand(Option<string?> datastore)
    {
        var file = new Option<string?>("--filename", "-f") { Description = "File naming the resources to delete, or - for stdin" };
        var kindArgument = new Argument<string?>("KIND") { Description = "Resource kind, e.g. ippool, bgppeer (instead of -f)", Arity = ArgumentArity.ZeroOrOne };
        var names = new Argument<string[]>("NAME") { Description = "The objects of KIND to delete", Arity = ArgumentArity.ZeroOrMore };
        var allowIpam = AllowIpamOption();
        var ns = NamespaceOption.Create();
        var force = new Option<bool>("--force") { Description = "Delete an IPPool even though addresses in it are still allocated (they stay allocated)" };
        var command = new Command("delete", "Delete the resources named in FILE, or KIND NAME [NAME…] (all or none)") { file, kindArgument, names, allowIpam, force, ns };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var path = parse.GetValue(file);
            var kindName = parse.GetValue(kindArgument);
            var objects = parse.GetValue(names) ?? [];
            IReadOnlyList<(IKindOps Kind, string Name)> targets = (path, kindName, objects.Length) switch
            {
                (not null, null, 0) => [.. ReadDocuments(path, parse.GetValue(allowIpam)).Select(d => (d.Kind, d.Kind.KeyOf(d.Resource)))],
                (null, not null, > 0) => Named(Kinds.Find(kindName), [.. objects.Select(o => NamespaceOption.Key(Kinds.Find(kindName), o, parse.GetValue(ns)))], parse.GetValue(allowIpam)),
                (null, not null, 0) => throw new CtlException($"delete {kindName}: name the object(s) to delete (delete KIND NAME [NAME…])"),
                _ => throw new CtlException("delete takes either -f FILE or KIND NAME [NAME…], not both"),
            };
            var forced = parse.GetValue(force);
            var pools = forced ? await DeletedPoolsAsync(store, targets).ConfigureAwait(false) : [];
            await CommitAsync(store, retry: false, [.. targets.Select(t => (Func<StoreTransaction, Task>)(transaction =>
            {
                t.Kind.StageDelete(transaction, t.Name, forced);
                return Task.CompletedTask;
            }))]).ConfigureAwait(false);
            foreach (var (kind, name) in targets)
            {
                Console.WriteLine($"{kind.Kind} \"{name}\" deleted");
            }
            foreach (var pool in pools)
            {
                await ReportRemainsAsync(store, pool).ConfigureAwait(false);
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

    private static List<(IKindOps Kind, string Name)> Named(IKindOps kind, string[] names, bool allowIpam)
    {
        RefuseIpamKind(kind, names[0], "the command line", allowIpam);
        return [.. names.Distinct(StringComparer.Ordinal).Select(n => (kind, n))];
    }

    // One transaction for everything; apply reads, then commits with CAS on what it read, so a
    // writer in between costs another round. A store without multi-object transactions (the
    // kubernetes datastore) takes the objects one by one, in file order, and a refusal says how
    // many went in before it.
    private static async Task CommitAsync(IStore store, bool retry, IReadOnlyList<Func<StoreTransaction, Task>> stages)
    {
        if (store.SupportsTransactions || stages.Count == 1)
        {
            await CommitAsync(store, retry, async transaction =>
            {
                foreach (var stage in stages)
                {
                    await stage(transaction).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            return;
        }
        for (var i = 0; i < stages.Count; i++)
        {
            try
            {
                await CommitAsync(store, retry, stages[i]).ConfigureAwait(false);
            }
            catch (DatastoreException e) when (i > 0)
            {
                throw new CtlException(CtlFailure.ExitCodeOf(e),
                    $"{e.Message} (the first {i} of {stages.Count} objects were written: this datastore has no multi-object transactions)", e);
            }
        }
    }

    private static async Task CommitAsync(IStore store, bool retry, Func<StoreTransaction, Task> stage)
    {
        for (var attempt = 1; ; attempt++)
        {
            var transaction = new StoreTransaction();
            await stage(transaction).ConfigureAwait(false);
            try
            {
                await store.CommitAsync(transaction).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (retry && attempt < ApplyAttempts
                && e is RevisionConflictException or ResourceAlreadyExistsException or ResourceNotFoundException)
            {
                // another writer created, changed or deleted one of them since we read: read again
            }
        }
    }

    // Every problem of the file itself (missing, not YAML, an unknown field, a kind it may not
    // write) is an input error: exit 2 (CtlException's default).
    private static IReadOnlyList<(IKindOps Kind, Resource Resource)> ReadDocuments(string path, bool allowIpam)
    {
        var documents = DocumentReader.Read(CtlRunner.ReadFile(path), path);
        if (documents.Count == 0)
        {
            throw new CtlException($"{path}: no resources in it");
        }
        var seen = new HashSet<(string, string)>();
        foreach (var (kind, resource) in documents)
        {
            if (!seen.Add((kind.Kind, kind.KeyOf(resource))))
            {
                throw new CtlException($"{path}: {kind.Kind} \"{kind.KeyOf(resource)}\" appears twice");
            }
            RefuseIpamKind(kind, resource.Name, path, allowIpam);
        }
        return documents;
    }

    private static void RefuseIpamKind(IKindOps kind, string name, string source, bool allowIpam)
    {
        if (!allowIpam && Kinds.IsIpamBookkeeping(kind.Kind))
        {
            throw new CtlException(
                $"{source}: {kind.Kind} \"{name}\" is IPAM's own record; the ipam commands change it safely, or pass --allow-ipam-kinds to write it anyway");
        }
    }

    private static async Task<List<IPPool>> DeletedPoolsAsync(IStore store, IReadOnlyList<(IKindOps Kind, string Name)> targets)
    {
        var pools = new List<IPPool>();
        foreach (var (_, name) in targets.Where(d => d.Kind.Kind == IPPool.KindName))
        {
            if (await store.TryGetAsync<IPPool>(name).ConfigureAwait(false) is { } pool)
            {
                pools.Add(pool);
            }
        }
        return pools;
    }

    // What a forced delete left behind: the blocks (and their pods' addresses) that stay allocated.
    private static async Task ReportRemainsAsync(IStore store, IPPool pool)
    {
        if (!IPNetwork.TryParse(pool.Spec.Cidr, out var range))
        {
            return;
        }
        var left = (await store.ListAsync<IPAMBlock>().ConfigureAwait(false)).Items
            .Where(b => IPNetwork.TryParse(b.Spec.Cidr, out var cidr) && cidr.PrefixLength >= range.PrefixLength && range.Contains(cidr.BaseAddress))
            .Select(b => (b.Spec.Cidr, Node: b.Spec.Affinity?.Replace("host:", "", StringComparison.Ordinal), Count: b.Spec.Allocations.Count(a => a is not null)))
            .Where(b => b.Count > 0)
            .ToList();
        if (left.Count == 0)
        {
            return;
        }
        var addresses = left.Sum(b => b.Count);
        var blocks = string.Join(", ", left.Take(5).Select(b => b.Node is null ? b.Cidr : $"{b.Cidr} on node {b.Node}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"IPPool \"{pool.Name}\": {addresses} address{(addresses == 1 ? "" : "es")} in {left.Count} block{(left.Count == 1 ? "" : "s")} remain allocated ({blocks}{(left.Count > 5 ? ", ..." : "")}); they are freed as their pods are deleted"));
    }
}
