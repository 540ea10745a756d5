// issue 16's nftables operations, RoutedNet's NftablesHandle against `nft -f` (one exec each, as
// an agent that shells out would run it), alternating in one run, in the namespace this process
// was started in (bench/nft-ops.sh makes it). The table: 100 endpoints x 2 chains x 5 rules =
// 1,000 rules, two ifname verdict maps (100 entries each) and three 10,000-element sets (ipv4_addr,
// ipv4_addr /30 intervals, ipv4_addr . inet_proto . inet_service). Phases, medians of ROUNDS:
//   full:    load the whole table into an empty ruleset (ours: build the batch + commit)
//   policy:  flush one endpoint chain and add its 5 rules again, the big table present
//   element: add one element to a 10k set (and delete it again, untimed), the big table present
//   readback: dump chains, rules (counters) and every set's elements; nft: `nft -j list table`
//   counters: the rule dump alone (per-policy counters when /metrics is scraped); nft: `nft -j list table`
// Before timing, both loads are checked to list identically in `nft list table`.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using RoutedNet.Netlink.Nftables;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: NftablesBench ROUNDS ELEMENT_ROUNDS   (run inside a scratch netns)");
    return 2;
}
var rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
var elementRounds = int.Parse(args[1], CultureInfo.InvariantCulture);
const string Table = "routednet";
const int Endpoints = 100, SetSize = 10_000;

using var handle = NftablesHandle.Open();
var work = Directory.CreateTempSubdirectory("rnnft-bench");
var samples = new Dictionary<string, List<double>>();
void Record(string what, double ms) => (samples.TryGetValue(what, out var list) ? list : samples[what] = []).Add(ms);
double Time(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed.TotalMilliseconds;
}

string Nft(params string[] arguments)
{
    using var nft = Process.Start(new ProcessStartInfo("nft", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = nft.StandardOutput.ReadToEnd();
    var error = nft.StandardError.ReadToEnd();
    nft.WaitForExit();
    return nft.ExitCode == 0 ? output : throw new InvalidOperationException($"nft {string.Join(' ', arguments)}: {error.Trim()}");
}

string File(string name, string text)
{
    var path = Path.Combine(work.FullName, name);
    System.IO.File.WriteAllText(path, text);
    return path;
}

static byte[] V4(int i, int net = 10) => [(byte)net, (byte)(i >> 16), (byte)(i >> 8), (byte)i];
static string V4Text(byte[] a) => $"{a[0]}.{a[1]}.{a[2]}.{a[3]}";
static byte[] Ifname(string name)
{
    var key = new byte[16];
    Encoding.ASCII.GetBytes(name).CopyTo(key, 0);
    return key;
}

NftExpression[] Ipv4Saddr() =>
[
    NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol), NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
    NftExpression.PayloadLoad(NftPayloadBase.Network, 12, 4),
];

NftRule[] EndpointRules(string chain, int endpoint) =>
[
    new(Table, chain, [.. NftExpression.CtStateIn(2 | 4), NftExpression.Verdict(NftVerdict.Accept)]),
    new(Table, chain, [.. Ipv4Saddr(), NftExpression.Lookup("pods"), NftExpression.MetaLoad(NftMetaKey.Layer4Protocol), NftExpression.Compare(NftCompareOp.Equal, [6]), NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2), NftExpression.Compare(NftCompareOp.Equal, [0, 80]), NftExpression.Verdict(NftVerdict.Accept)]),
    new(Table, chain, [.. Ipv4Saddr(), NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: 9), NftExpression.PayloadLoad(NftPayloadBase.Transport, 2, 2, register: 10), NftExpression.Lookup("peers"), NftExpression.Verdict(NftVerdict.Accept)]),
    new(Table, chain, [.. Ipv4Saddr(), NftExpression.Lookup("nets"), NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Accept)]),
    new(Table, chain, [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], $"default deny {endpoint}"),
];

string EndpointRulesText(string chain, int endpoint) =>
    $"""
    add rule inet {Table} {chain} ct state established,related accept
    add rule inet {Table} {chain} ip saddr @pods tcp dport 80 accept
    add rule inet {Table} {chain} ip saddr . meta l4proto . th dport @peers accept
    add rule inet {Table} {chain} ip saddr @nets counter accept
    add rule inet {Table} {chain} counter drop comment "default deny {endpoint}"

    """;

NftBatch BuildFull()
{
    var batch = new NftBatch().AddTable(Table)
        .AddSet(new NftSet(Table, "pods", [NftDataType.Ipv4Address]))
        .AddSet(new NftSet(Table, "nets", [NftDataType.Ipv4Address], IsInterval: true))
        .AddSet(new NftSet(Table, "peers", [NftDataType.Ipv4Address, NftDataType.InetProtocol, NftDataType.InetService]))
        .AddSet(new NftSet(Table, "from_wl", [NftDataType.InterfaceName], IsVerdictMap: true))
        .AddSet(new NftSet(Table, "to_wl", [NftDataType.InterfaceName], IsVerdictMap: true))
        .AddChain(new NftChain(Table, "forward", NftHook.Forward, 0, NftVerdict.Accept));
    for (var e = 0; e < Endpoints; e++)
    {
        batch.AddChain(new NftChain(Table, $"fw-{e}")).AddChain(new NftChain(Table, $"tw-{e}"));
    }
    batch.AddRule(new NftRule(Table, "forward", [NftExpression.MetaLoad(NftMetaKey.InputInterfaceName), NftExpression.Lookup("from_wl", destinationRegister: 0)]));
    batch.AddRule(new NftRule(Table, "forward", [NftExpression.MetaLoad(NftMetaKey.OutputInterfaceName), NftExpression.Lookup("to_wl", destinationRegister: 0)]));
    for (var e = 0; e < Endpoints; e++)
    {
        foreach (var rule in EndpointRules($"fw-{e}", e).Concat(EndpointRules($"tw-{e}", e)))
        {
            batch.AddRule(rule);
        }
    }
    for (var e = 0; e < Endpoints; e++)
    {
        batch.AddElement(Table, "from_wl", Ifname($"rn{e}"), verdict: NftVerdict.Goto($"fw-{e}"));
        batch.AddElement(Table, "to_wl", Ifname($"rn{e}"), verdict: NftVerdict.Goto($"tw-{e}"));
    }
    // Consecutive elements of one set share a message (up to 64 KiB): one set after the other.
    for (var i = 0; i < SetSize; i++)
    {
        batch.AddElement(Table, "pods", V4(i));
    }
    Span<byte> peer = stackalloc byte[12];
    for (var i = 0; i < SetSize; i++)
    {
        V4(i, 11).CopyTo(peer);
        peer[4] = 6;
        peer[8] = (byte)((8000 + i % 100) >> 8);
        peer[9] = (byte)(8000 + i % 100);
        batch.AddElement(Table, "peers", peer);
    }
    batch.AddElement(Table, "nets", [0, 0, 0, 0], intervalEnd: true);
    for (var i = 0; i < SetSize; i++)
    {
        batch.AddElement(Table, "nets", V4(i * 4, 12)).AddElement(Table, "nets", V4(i * 4 + 4, 12), intervalEnd: true);
    }
    return batch;
}

string FullText()
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $$"""
        table inet {{Table}} {
          set pods { type ipv4_addr; }
          set nets { type ipv4_addr; flags interval; }
          set peers { type ipv4_addr . inet_proto . inet_service; }
          map from_wl { type ifname : verdict; }
          map to_wl { type ifname : verdict; }
          chain forward { type filter hook forward priority 0; policy accept; }
        }
        """);
    for (var e = 0; e < Endpoints; e++)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"add chain inet {Table} fw-{e}").AppendLine(CultureInfo.InvariantCulture, $"add chain inet {Table} tw-{e}");
    }
    text.AppendLine(CultureInfo.InvariantCulture, $"add rule inet {Table} forward iifname vmap @from_wl");
    text.AppendLine(CultureInfo.InvariantCulture, $"add rule inet {Table} forward oifname vmap @to_wl");
    for (var e = 0; e < Endpoints; e++)
    {
        text.Append(EndpointRulesText($"fw-{e}", e)).Append(EndpointRulesText($"tw-{e}", e));
    }
    text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} from_wl {{ ").AppendJoin(", ", Enumerable.Range(0, Endpoints).Select(e => $"\"rn{e}\" : goto fw-{e}")).AppendLine(" }");
    text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} to_wl {{ ").AppendJoin(", ", Enumerable.Range(0, Endpoints).Select(e => $"\"rn{e}\" : goto tw-{e}")).AppendLine(" }");
    text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} pods {{ ").AppendJoin(", ", Enumerable.Range(0, SetSize).Select(i => V4Text(V4(i)))).AppendLine(" }");
    text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} peers {{ ").AppendJoin(", ", Enumerable.Range(0, SetSize).Select(i => $"{V4Text(V4(i, 11))} . tcp . {8000 + i % 100}")).AppendLine(" }");
    text.Append(CultureInfo.InvariantCulture, $"add element inet {Table} nets {{ ").AppendJoin(", ", Enumerable.Range(0, SetSize).Select(i => $"{V4Text(V4(i * 4, 12))}/30")).AppendLine(" }");
    return text.ToString();
}

void DeleteTable() => handle.Commit(new NftBatch().DeleteTable(Table));

var fullFile = File("full.nft", FullText());
var policyFile = File("policy.nft", $"flush chain inet {Table} fw-7\n" + EndpointRulesText("fw-7", 7));
var policy = new NftBatch().FlushChain(Table, "fw-7");
foreach (var rule in EndpointRules("fw-7", 7))
{
    policy.AddRule(rule);
}

// Both ways must produce the same table, or the comparison means nothing.
handle.Commit(BuildFull());
var ours = Nft("list", "table", "inet", Table);
var ruleCount = handle.ListRules(Table).Count;
DeleteTable();
Nft("-f", fullFile);
var theirs = Nft("list", "table", "inet", Table);
DeleteTable();
if (ours != theirs)
{
    System.IO.File.WriteAllText(Path.Combine(Path.GetTempPath(), "rnnft-ours.txt"), ours);
    System.IO.File.WriteAllText(Path.Combine(Path.GetTempPath(), "rnnft-nft.txt"), theirs);
    Console.Error.WriteLine("our table and nft's differ: see /tmp/rnnft-ours.txt and /tmp/rnnft-nft.txt");
    return 1;
}
Console.WriteLine($"tables equal: {ours.Split('\n').Length} lines of `nft list table`, {ruleCount} rules");

double allocatedPerElement = 0;
for (var round = 0; round < rounds; round++)
{
    Record("full ours", Time(() => handle.Commit(BuildFull())));
    DeleteTable();
    Record("full nft", Time(() => Nft("-f", fullFile)));

    Record("readback ours", Time(() =>
    {
        handle.ListChains(Table);
        handle.ListRules(Table);
        foreach (var set in handle.ListSets(Table))
        {
            handle.ListElements(Table, set.Name);
        }
    }));
    Record("readback nft", Time(() => Nft("-j", "list", "table", "inet", Table)));

    // What one /metrics scrape of the per-policy rule counters costs the agent: a rule dump.
    Record("counters ours", Time(() => handle.ListRules(Table)));
    Record("counters nft", Time(() => Nft("-j", "list", "table", "inet", Table)));

    Record("policy ours", Time(() => handle.Commit(policy)));
    Record("policy nft", Time(() => Nft("-f", policyFile)));

    var add = new NftBatch();
    var del = new NftBatch();
    for (var i = 0; i < elementRounds; i++)
    {
        var key = V4(SetSize + i);
        var clock = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        add.Clear();
        handle.Commit(add.AddElement(Table, "pods", key));
        allocatedPerElement = GC.GetAllocatedBytesForCurrentThread() - before;
        Record("element ours", clock.Elapsed.TotalMilliseconds);
        del.Clear();
        handle.Commit(del.DeleteElement(Table, "pods", key));
    }
    for (var i = 0; i < Math.Max(1, elementRounds / 20); i++)
    {
        var key = V4Text(V4(SetSize + i));
        Record("element nft", Time(() => Nft("add", "element", "inet", Table, "pods", $"{{ {key} }}")));
        Nft("delete", "element", "inet", Table, "pods", $"{{ {key} }}");
    }
    DeleteTable();
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}
Console.WriteLine($"{"phase",-10} {"ours ms",10} {"nft ms",10} {"ours/nft",9}");
foreach (var phase in new[] { "full", "policy", "element", "readback", "counters" })
{
    var ourMs = Median(samples[$"{phase} ours"]);
    var nftMs = Median(samples[$"{phase} nft"]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-10} {ourMs,10:F3} {nftMs,10:F3} {ourMs / nftMs,9:F4}"));
}
Console.WriteLine($"allocated per element add (steady state): {allocatedPerElement} bytes");
work.Delete(recursive: true);
return 0;
