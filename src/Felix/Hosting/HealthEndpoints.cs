using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// /livez (the process answers), /readyz (200 once the datastore is synced and the dataplane
/// programmed, else 503; one line per component either way) and /metrics (Prometheus text).
/// </summary>
public static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        // RequestDelegate overloads: no reflection over handler signatures.
        app.MapGet("/livez", context => context.Response.WriteAsync("ok\n"));
        app.MapGet("/readyz", context =>
        {
            var health = context.RequestServices.GetRequiredService<HealthRegistry>();
            var body = new StringBuilder();
            foreach (var component in health.Snapshot())
            {
                body.Append(component.Name).Append(": ")
                    .Append(component.Ready ? "ready" : "not ready")
                    .Append(component.Degraded ? ", degraded" : "")
                    .Append(" (").Append(component.Detail).Append(")\n");
            }
            context.Response.StatusCode = health.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync(body.ToString());
        });
        app.MapGet("/metrics", async context =>
        {
            var text = await context.RequestServices.GetRequiredService<MetricsRenderer>().RenderAsync(context.RequestAborted).ConfigureAwait(false);
            context.Response.ContentType = PrometheusTextWriter.ContentType;
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        });
    }
}
