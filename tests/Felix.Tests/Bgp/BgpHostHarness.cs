using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Tests.Fakes;

namespace RoutedNet.Felix.Tests.Bgp;

/// <summary>
/// A BgpBackendHost over a fake kernel's route reconciler, both on fake time (node n1, 30 s
/// resync), for the tests that drive the host: started in sync, stopped in order.
/// </summary>
internal sealed class BgpHostHarness
{
    public BgpHostHarness(IBgpBackend backend, InMemoryFakeKernel? kernel = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = new AgentOptions { NodeName = "n1", ResyncInterval = TimeSpan.FromSeconds(30) };
        Routes = new RouteReconciler(kernel ?? new InMemoryFakeKernel(), options, Time, Health, new ReconcileMetrics(), NullLogger<RouteReconciler>.Instance);
        Host = new BgpBackendHost(Routes, Health, options, Time, NullLogger<BgpBackendHost>.Instance, backend);
    }

    public FakeTimeProvider Time { get; }

    public HealthRegistry Health { get; } = new();

    public RouteReconciler Routes { get; }

    public BgpBackendHost Host { get; }

    /// <summary>The route reconciler running and in sync for workload and blackhole routes (the host is started by the test).</summary>
    public async Task StartRoutesAsync()
    {
        await Routes.StartAsync(CancellationToken.None);
        Routes.MarkInSync(RouteKind.Workload);
        Routes.MarkInSync(RouteKind.Blackhole);
    }

    public async Task StopAsync()
    {
        await Host.StopAsync(CancellationToken.None);
        await Routes.StopAsync(CancellationToken.None);
    }
}
