using System.Diagnostics;
using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.PolicyBench;

internal static class Commands
{
    private const int TransactionSize = 100; // etcd refuses more than 128 operations in one txn by default

    public static async Task<int> PopulateAsync(Options options)
    {
        var cluster = options.Cluster();
        await using var store = await StoreFactory.OpenAsync(options.Get("datastore"));
        var clock = Stopwatch.StartNew();
        var revision = "";
        var transaction = new StoreTransaction();
        async Task Flush()
        {
            if (transaction.Count > 0)
            {
                revision = (await store.CommitAsync(transaction)).ResourceVersion;
                transaction = new StoreTransaction();
            }
        }
        async Task Add(Action<StoreTransaction> write)
        {
            write(transaction);
            if (transaction.Count >= TransactionSize)
            {
                await Flush();
            }
        }
        foreach (var ns in cluster.NamespaceObjects())
        {
            await Add(t => t.Create(ns));
        }
        for (var k = 0; k < cluster.Endpoints; k++)
        {
            var endpoint = cluster.Remote(k);
            await Add(t => t.Create(endpoint));
        }
        for (var i = 0; i < cluster.LocalPods; i++)
        {
            var endpoint = cluster.Local(i);
            await Add(t => t.Create(endpoint));
        }
        foreach (var policy in cluster.PolicyObjects())
        {
            await Add(t => _ = policy switch
            {
                KubernetesNetworkPolicy k => t.Create(k),
                NetworkPolicy n => t.Create(n),
                GlobalNetworkPolicy g => t.Create(g),
                _ => throw new InvalidOperationException(policy.Kind),
            });
        }
        await Flush();
        Console.Error.WriteLine($"populate: {cluster.Namespaces} namespaces, {cluster.Endpoints} remote + {cluster.LocalPods} local endpoints, {cluster.Policies} policies in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"revision {revision}");
        for (var i = 0; i < cluster.LocalPods; i++)
        {
            var local = cluster.Local(i);
            Console.WriteLine($"local {local.Spec.HostInterface} {local.Spec.IPNetworks[0].Split('/')[0]}");
        }
        return 0;
    }

    public static async Task<int> WaitAsync(Options options)
    {
        var socket = options.Get("socket");
        var revision = long.Parse(options.Get("revision"), CultureInfo.InvariantCulture);
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(socket))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                Console.Error.WriteLine($"no agent socket at {socket} after 2 minutes");
                return 1;
            }
            await Task.Delay(5);
        }
        using var agent = new AgentClient(socket);
        Felix.Api.V1.PolicyStatus status;
        while (true)
        {
            try
            {
                status = await agent.WaitEnforcedAsync(revision, TimeSpan.FromMinutes(2));
                break;
            }
            catch (Grpc.Core.RpcException) when (deadline.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(5); // the socket file exists a moment before the server answers
            }
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var since = double.Parse(File.ReadAllText(options.Get("since-file")).Trim(), CultureInfo.InvariantCulture);
        Console.WriteLine(FormattableString.Invariant(
            $"cold start: agent started -> revision {revision} enforced {(now - since) * 1000:F0} ms; the agent's own inputs -> committed {status.LastProgrammingSeconds * 1000:F1} ms; {status.Policies} policies ({status.ActivePolicies} selecting local pods), {status.ProgrammedEndpoints.Count} local endpoints, {status.SetElements} set elements"));
        return 0;
    }

    public static async Task<int> MeasureAsync(Options options)
    {
        var cluster = options.Cluster();
        var changes = options.Int("changes", 60);
        await using var store = await StoreFactory.OpenAsync(options.Get("datastore"));
        using var agent = new AgentClient(options.Get("socket"));
        using var reference = new NftReference(options.Get("reference-ns"));
        var samples = new List<ChangeSample>();
        var workload = new ChangeMix(cluster, store);

        var listing = NftReference.List();
        var before = NftListing.Parse(listing);
        var fullLoad = reference.LoadFull(listing);
        Console.WriteLine(FormattableString.Invariant(
            $"table: {before.Chains.Count} chains, {before.RuleCount} rules, {before.Sets.Count} sets/maps, {before.ElementCount} elements; reference `nft -f` of it into an empty namespace: {fullLoad:F1} ms"));
        for (var i = 0; i < changes; i++)
        {
            await Task.Delay(100); // the previous listing's and nft's work settles
            var start = Stopwatch.GetTimestamp();
            var (kind, revision) = await workload.NextAsync(i);
            var written = Stopwatch.GetTimestamp();
            var status = await agent.WaitEnforcedAsync(revision, TimeSpan.FromSeconds(30));
            var enforced = Stopwatch.GetElapsedTime(written).TotalMilliseconds;
            var write = Stopwatch.GetElapsedTime(start, written).TotalMilliseconds;

            var after = NftListing.Parse(NftReference.List());
            var delta = NftListing.Delta(before, after);
            var nft = delta.Length == 0 ? (double?)null : reference.Apply(delta);
            before = after;
            samples.Add(new ChangeSample(kind, write, enforced, status.LastProgrammingSeconds * 1000, nft, delta.Count(c => c == '\n')));
        }
        if (options.Get("out") is { Length: > 0 } dir)
        {
            await File.WriteAllLinesAsync(Path.Combine(dir, "samples.tsv"), samples.Select(s => s.ToString()));
        }
        Report.Print(samples);
        return 0;
    }
}
