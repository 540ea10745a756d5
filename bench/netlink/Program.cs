// Installs and deletes N /32 routes in a throwaway namespace, alternating between RoutedNet's
// batch API (many RTM_NEWROUTE per sendmsg, one ack each), the same API one call per route, and
// the kernel's reference tool `ip -batch` (one request, one ack, in turn). The medians of ROUNDS
// rounds are printed with the ratio ours/ip. Run through bench/netlink-routes.sh, which makes and
// removes the namespace and its veth.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using RoutedNet.Netlink;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: NetlinkBench NETNS_NAME NETNS_PATH DEV ROUTES ROUNDS");
    return 2;
}
var (name, path, dev) = (args[0], args[1], args[2]);
var count = int.Parse(args[3], CultureInfo.InvariantCulture);
var rounds = int.Parse(args[4], CultureInfo.InvariantCulture);

using var handle = NetlinkHandle.OpenNamespace(path);
var link = handle.GetLink(dev);
var routes = Enumerable.Range(0, count)
    .Select(i => new Route { Destination = new IPNetwork(new IPAddress([10, (byte)(200 + (i >> 16)), (byte)(i >> 8), (byte)i]), 32), LinkIndex = link.Index, Protocol = RouteProtocol.RoutedNet })
    .ToList();
var install = new RouteBatch();
var remove = new RouteBatch();
routes.ForEach(r => install.Add(r));
routes.ForEach(r => remove.Delete(r));

var batchFiles = (Add: Path.GetTempFileName(), Del: Path.GetTempFileName());
File.WriteAllLines(batchFiles.Add, routes.Select(r => $"route add {r.Destination} dev {dev} proto 80"));
File.WriteAllLines(batchFiles.Del, routes.Select(r => $"route del {r.Destination} dev {dev} proto 80"));

var samples = new Dictionary<string, List<double>>();
void Record(string what, double ms) => (samples.TryGetValue(what, out var list) ? list : samples[what] = []).Add(ms);

double Time(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed.TotalMilliseconds;
}

var allocated = new List<double>();
void Ours(string label, RouteBatch batch)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    Record(label, Time(() => handle.Execute(batch).ThrowIfAnyFailed()));
    allocated.Add((GC.GetAllocatedBytesForCurrentThread() - before) / (double)batch.Count);
}

void OursOneByOne(string label, Action<Route> change) => Record(label, Time(() => routes.ForEach(change)));

void Ip(string label, string file) => Record(label, Time(() =>
{
    using var ip = Process.Start(new ProcessStartInfo("ip", ["-n", name, "-batch", file]) { UseShellExecute = false })!;
    ip.WaitForExit();
    if (ip.ExitCode != 0)
    {
        throw new InvalidOperationException($"ip -batch {file} exited {ip.ExitCode}");
    }
}));

void CheckInstalled(int expected)
{
    var actual = handle.ListRoutes(new RouteFilter { Protocol = RouteProtocol.RoutedNet }).Count;
    if (actual != expected)
    {
        throw new InvalidOperationException($"expected {expected} routes, the kernel holds {actual}");
    }
}

try
{
    for (var round = 0; round < rounds; round++)
    {
        Ours("batch add", install);
        CheckInstalled(count);
        Ours("batch del", remove);
        CheckInstalled(0);
        Ip("ip -batch add", batchFiles.Add);
        CheckInstalled(count);
        Ip("ip -batch del", batchFiles.Del);
        CheckInstalled(0);
        OursOneByOne("one-by-one add", handle.AddRoute);
        CheckInstalled(count);
        OursOneByOne("one-by-one del", handle.DeleteRoute);
        CheckInstalled(0);
    }
}
finally
{
    File.Delete(batchFiles.Add);
    File.Delete(batchFiles.Del);
}

double Median(string what)
{
    var sorted = samples[what].Order().ToArray();
    return sorted[sorted.Length / 2];
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} routes, median of {rounds} rounds (ms):"));
foreach (var what in samples.Keys)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-16} {Median(what),10:F1}   ({count / Median(what) * 1000,9:F0} routes/s)"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  managed allocation per batched route: {allocated.Order().ElementAt(allocated.Count / 2):F1} bytes"));
foreach (var verb in new[] { "add", "del" })
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio batch/ip -batch {verb}: {Median("batch " + verb) / Median("ip -batch " + verb):F2}   one-by-one/ip -batch {verb}: {Median("one-by-one " + verb) / Median("ip -batch " + verb):F2}"));
}
return 0;
