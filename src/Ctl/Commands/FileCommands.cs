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
        Delete,
    }

    public static IEnumerable<Command> Build(Option<string?> datastore)
    {
        yield return FileCommand(Verb.Apply, "Create or replace the resources in FILE (YAML or JSON, several documents; all or none)", datastore);
        yield return FileCommand(Verb.Create, "Create the resources in FILE; fails, creating none, when one exists", datastore);
        yield return FileCommand(Verb.Delete, "Delete the resources named in FILE (all or none)", datastore);
    }

    private static Command FileCommand(Verb verb, string description, Option<string?> datastore)
    {
        var file = new Option<string>("--filename", "-f") { Description = "File to read, or - for stdin", Required = true };
        var allowIpam = new Option<bool>("--allow-ipam-kinds")
        {
            Description = "Also write IPAMBlock, BlockAffinity and IPAMHandle, IPAM's own records (the ipam commands are the safe way to change them)",
        };
        var command = new Command(verb.ToString().ToLowerInvariant(), description) { file, allowIpam };
        var force = new Option<bool>("--force") { Description = "Delete an IPPool even though addresses in it are still allocated (they stay allocated)" };
        if (verb == Verb.Delete)
        {
            command.Options.Add(force);
        }
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var path = parse.GetValue(file)!;
            var documents = ReadDocuments(path, parse.GetValue(allowIpam));
            var forced = verb == Verb.Delete && parse.GetValue(force);
            var pools = forced ? await DeletedPoolsAsync(store, documents).ConfigureAwait(false) : [];
            await CommitAsync(store, verb, documents, forced).ConfigureAwait(false);
            var done = verb switch { Verb.Apply => "applied", Verb.Create => "created", _ => "deleted" };
            foreach (var (kind, resource) in documents)
            {
                Console.WriteLine($"{kind.Kind} \"{resource.Name}\" {done}");
            }
            foreach (var pool in pools)
            {
                await ReportRemainsAsync(store, pool).ConfigureAwait(false);
            }
            return 0;
        }));
        return command;
    }

    private static async Task CommitAsync(IStore store, Verb verb, IReadOnlyList<(IKindOps Kind, Resource Resource)> documents, bool force)
    {
        for (var attempt = 1; ; attempt++)
        {
            var transaction = new StoreTransaction();
            foreach (var (kind, resource) in documents)
            {
                switch (verb)
                {
                    case Verb.Apply:
                        await kind.StageApplyAsync(store, transaction, resource, default).ConfigureAwait(false);
                        break;
                    case Verb.Create:
                        kind.StageCreate(transaction, resource);
                        break;
                    default:
                        kind.StageDelete(transaction, resource.Name, force);
                        break;
                }
            }
            try
            {
                await store.CommitAsync(transaction).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (verb == Verb.Apply && attempt < ApplyAttempts
                && e is RevisionConflictException or ResourceAlreadyExistsException or ResourceNotFoundException)
            {
                // another writer created, changed or deleted one of them since we read: read again
            }
        }
    }

    // Every problem of the file itself (missing, not YAML, an unknown field, a kind it may not
    // write) is an input error: exit 2.
    private static IReadOnlyList<(IKindOps Kind, Resource Resource)> ReadDocuments(string path, bool allowIpam)
    {
        IReadOnlyList<(IKindOps Kind, Resource Resource)> documents;
        try
        {
            documents = DocumentReader.Read(CtlRunner.ReadFile(path), path);
        }
        catch (CtlException e)
        {
            throw new CtlException(e.Message, e) { ExitCode = 2 };
        }
        if (documents.Count == 0)
        {
            throw new CtlException($"{path}: no resources in it") { ExitCode = 2 };
        }
        var seen = new HashSet<(string, string)>();
        foreach (var (kind, resource) in documents)
        {
            if (!seen.Add((kind.Kind, resource.Name)))
            {
                throw new CtlException($"{path}: {kind.Kind} \"{resource.Name}\" appears twice") { ExitCode = 2 };
            }
            if (!allowIpam && Kinds.IsIpamBookkeeping(kind.Kind))
            {
                throw new CtlException(
                    $"{path}: {kind.Kind} \"{resource.Name}\" is IPAM's own record; the ipam commands change it safely, or pass --allow-ipam-kinds to write it anyway")
                { ExitCode = 2 };
            }
        }
        return documents;
    }

    private static async Task<List<IPPool>> DeletedPoolsAsync(IStore store, IReadOnlyList<(IKindOps Kind, Resource Resource)> documents)
    {
        var pools = new List<IPPool>();
        foreach (var (kind, resource) in documents.Where(d => d.Kind.Kind == IPPool.KindName))
        {
            if (await store.TryGetAsync<IPPool>(resource.Name).ConfigureAwait(false) is { } pool)
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
