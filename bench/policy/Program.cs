// The driver of bench/policy-enforce.sh (and of bench/cni-latency.sh -P): runs inside the bench's
// node namespace, next to the agent and its datastore.
//   populate: writes the SyntheticCluster (namespaces, endpoints, policies) in transactions of 100
//             writes; prints "revision R" (the last write's) and one "local VETH ADDRESS" per local pod.
//   wait:     waits for the agent's socket, then for it to enforce REVISION (WaitPolicyRevision);
//             prints the time since the one in --since-file (unix seconds, when the script started the agent) and
//             the agent's own figures.
//   measure:  CHANGES timed changes, a mix of six kinds, each from the write's return to the agent
//             reporting its revision enforced; after each (untimed) lists the agent's table and
//             times `nft -f` of the same delta on a copy of it in the reference namespace.
using System.Diagnostics;
using System.Globalization;
using RoutedNet.PolicyBench;

var options = Options.Parse(args);
return options.Command switch
{
    "populate" => await Commands.PopulateAsync(options),
    "wait" => await Commands.WaitAsync(options),
    "measure" => await Commands.MeasureAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: PolicyBench populate|wait|measure --datastore URL [--socket PATH] [--endpoints N] [--policies N] [--namespaces N] [--local-pods N] [--node NAME] [--select-namespace NS --selecting N] [--revision R --since-file FILE] [--changes N --reference-ns NS --out DIR]");
    return 2;
}

/// <summary>The command line: a verb, then --key value pairs.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Command { get; private init; } = "";

    public static Options Parse(string[] args)
    {
        var options = new Options { Command = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options._values[args[i].TrimStart('-')] = args[i + 1];
        }
        return options;
    }

    public string Get(string key, string fallback = "") => _values.GetValueOrDefault(key, fallback);

    public int Int(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public SyntheticCluster Cluster() => new(
        Int("namespaces", 50), Int("endpoints", 10_000), Int("policies", 1_000), Int("local-pods", 4), Get("node", "bench"),
        _values.GetValueOrDefault("select-namespace"), Int("selecting", 0));

    public static double Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;
}
