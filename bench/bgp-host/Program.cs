using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RoutedNet.BgpHost;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Policy;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: RoutedNet.BgpHost CONFIG.json");
    return 2;
}
var config = JsonSerializer.Deserialize(File.ReadAllText(args[0]), HostJsonContext.Default.HostConfig)
    ?? throw new InvalidOperationException($"{args[0]} is empty");
using var loggerFactory = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
    .SetMinimumLevel(Environment.GetEnvironmentVariable("RN_BGP_DEBUG") is null ? LogLevel.Information : LogLevel.Debug));

var speaker = new RoutedNet.BgpSpeaker.BgpSpeaker(
    new BgpGlobalOptions
    {
        LocalAs = config.Asn,
        RouterId = IPAddress.Parse(config.RouterId),
        ListenPort = config.ListenPort,
        ListenAddresses = [.. (config.ListenAddresses ?? []).Select(IPAddress.Parse)],
        MaxPaths = config.MaxPaths,
        GracefulRestart = new GracefulRestartOptions { RestartTime = TimeSpan.FromSeconds(config.RestartTimeSeconds), Restarting = config.Restarting },
    },
    loggerFactory);
MemoryReport.StartIfAsked();
await speaker.StartAsync();
foreach (var peer in config.Peers ?? [])
{
    await speaker.AddPeerAsync(new BgpPeerOptions
    {
        Address = IPAddress.Parse(peer.Address),
        RemoteAs = peer.RemoteAs,
        LocalAddress = peer.LocalAddress is null ? null : IPAddress.Parse(peer.LocalAddress),
        NextHopOtherFamily = peer.NextHopOtherFamily is null ? null : IPAddress.Parse(peer.NextHopOtherFamily),
        Passive = peer.Passive,
        Password = peer.Password,
        HoldTime = TimeSpan.FromSeconds(peer.HoldTimeSeconds),
        RouteReflectorClient = peer.RouteReflectorClient,
        Families = [.. (peer.Families ?? ["ipv4", "ipv6"]).Select(f => f == "ipv6" ? RouteFamily.Ipv6Unicast : RouteFamily.Ipv4Unicast)],
        Import = new ImportPolicy { Allowed = [.. (peer.Allowed ?? []).Select(PrefixRange.Parse)] },
        Export = new ExportPolicy { Learned = peer.ExportLearned },
    });
}
foreach (var prefix in config.Originate ?? [])
{
    await speaker.OriginateAsync(IPNetwork.Parse(prefix));
}

// The node agent would program these; the host only drains them.
_ = Task.Run(async () =>
{
    await foreach (var _ in speaker.BestRouteChanges.ReadAllAsync())
    {
    }
});

var stop = new TaskCompletionSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
await speaker.DisposeAsync();
// For bench/bgp-transit.sh: where the collector's time went during the run.
Console.Error.WriteLine(FormattableString.Invariant(
    $"gc: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s, allocated {GC.GetTotalAllocatedBytes() >> 20} MB"));
if (Environment.GetEnvironmentVariable("RN_MEM_REPORT") is not null)
{
    Console.Error.WriteLine(MemoryReport.Line());
}
return 0;
