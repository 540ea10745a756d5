using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// /livez (the process answers) and /readyz (200 once the datastore is synced and the dataplane
/// programmed, else 503) on the health port; /metrics (Prometheus text) on the metrics port.
/// /readyz names each component and a short reason, never an error's text: whoever reaches the
/// port learns whether the node is ready, not file paths, addresses or datastore errors (those
/// are in the log and `routednetctl node status`, behind root).
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Shown for a component whose last attempt failed, instead of the error.</summary>
    public const string FailingReason = "failing; see the agent's log";

    public static void Map(WebApplication app)
    {
        // RequestDelegate overloads: no reflection over handler signatures.
        app.MapGet("/livez", context => context.Response.WriteAsync("ok\n"));
        app.MapGet("/readyz", context =>
        {
            var health = context.RequestServices.GetRequiredService<HealthRegistry>();
            context.Response.StatusCode = health.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync(ReadyzBody(health.Snapshot()));
        });
        app.MapGet("/metrics", async context =>
        {
            var text = await context.RequestServices.GetRequiredService<MetricsRenderer>().RenderAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = PrometheusTextWriter.ContentType;
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Whether the listener on <paramref name="tcpPort"/> (null: the API's Unix socket) serves
    /// <paramref name="path"/>. When health and metrics share a port, it serves both.
    /// </summary>
    public static bool Serves(AgentOptions options, int? tcpPort, PathString path)
    {
        var probe = path.StartsWithSegments("/livez") || path.StartsWithSegments("/readyz");
        var metrics = path.StartsWithSegments("/metrics");
        if (tcpPort is not { } port)
        {
            return !probe && !metrics;
        }
        return (probe && port == options.HealthPort) || (metrics && port == options.MetricsPort);
    }

    /// <summary>One line per component: its name, ready or not, degraded, and why in a few fixed words.</summary>
    public static string ReadyzBody(IReadOnlyList<ComponentHealth> components)
    {
        var body = new StringBuilder();
        foreach (var component in components)
        {
            body.Append(component.Name).Append(": ")
                .Append(component.Ready ? "ready" : "not ready")
                .Append(component.Degraded ? $", degraded ({FailingReason})" : component.Ready ? "" : $" ({component.Detail})")
                .Append('\n');
        }
        return body.ToString();
    }
}
