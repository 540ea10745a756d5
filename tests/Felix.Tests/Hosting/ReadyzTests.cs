using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Tests.Hosting;

/// <summary>
/// /readyz over HTTP (the agent's own endpoint mapping, on a loopback port of the test's): it says
/// which component is not ready and a short reason, never the text of the error behind it (a
/// datastore path, an address, an exception message).
/// </summary>
public sealed class ReadyzTests : IAsyncLifetime
{
    private const string InternalError = "sqlite /var/lib/routednet/store.db: disk I/O error (SQLITE_IOERR 10)";

    private readonly HealthRegistry _health = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(_health);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        HealthEndpoints.Map(_app);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Readyz_ComponentFailedBeforeReady_503NamingItWithoutTheErrorText()
    {
        _health.Register(HealthRegistry.Datastore);
        _health.Register(HealthRegistry.Routes);
        _health.ReportWaiting(HealthRegistry.Routes, "waiting for its inputs to be in sync");
        _health.ReportFailure(HealthRegistry.Datastore, InternalError);

        using var response = await _http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(
            $"datastore: not ready, degraded (failing; see the agent's log)\nroutes: not ready (waiting for its inputs to be in sync)\n",
            body);
        Assert.DoesNotContain("sqlite", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_ReadyThenFailing_200DegradedWithoutTheErrorText()
    {
        _health.Register(HealthRegistry.Bgp);
        _health.ReportReady(HealthRegistry.Bgp);
        _health.ReportFailure(HealthRegistry.Bgp, "peer 192.0.2.7: setsockopt TCP_MD5SIG: Cannot allocate memory");

        using var response = await _http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"bgp: ready, degraded (failing; see the agent's log)\n", body);
    }
}
