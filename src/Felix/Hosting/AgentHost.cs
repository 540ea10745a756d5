using RoutedNet.Felix.PolicyCounters;
using RoutedNet.Felix.PolicyDrops;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Netlink.Nftables.Tracing;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RoutedNet.Datastore;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Bgp.GoBgp;
using RoutedNet.Felix.Cni;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Install;
using RoutedNet.Felix.Metrics;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Felix.Reconcilers.Routes;
using RoutedNet.Felix.Reconcilers.Sysctls;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// Composes `routednet-node`: the reconcilers, the BGP host and the datastore side as hosted
/// services, Kestrel with the gRPC API on the Unix socket (HTTP/2), health and metrics on their
/// TCP ports (HTTP/1.1). Each listener serves only its own endpoints.
/// </summary>
public static partial class AgentHost
{
    public static WebApplication Build(AgentOptions options, NodeAddressChoice addresses, IStore store, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        // Kestrel and the routing middleware are chatty at Information; the agent's own logs are what operators read.
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // The host's own reports of a failed start or a crashed service carry a stack trace even for
        // "address already in use"; Program reports those itself, in one line (and with the stack
        // trace only for a crash, which is a bug).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(addresses);
        services.AddSingleton(store);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<HealthRegistry>();
        services.AddSingleton<AgentFailure>();
        services.AddSingleton<ReconcileMetrics>();
        services.AddSingleton<NodeState>();
        services.AddSingleton<MetricsRenderer>();
        services.AddSingleton<IKernelRoutes, NetlinkKernel>();
        services.AddSingleton<ISysctls, ProcSysctls>();
        if (options.BgpBackend == BgpBackendKind.GoBgp)
        {
            services.AddSingleton<IBgpBackend, GoBgpBackend>();
        }
        else
        {
            services.AddSingleton<IBgpBackend, BuiltInSpeakerBackend>();
        }
        AddHosted<RouteReconciler>(services);
        AddHosted<SysctlReconciler>(services);
        services.AddSingleton<EndpointAcks>();
        services.AddSingleton<EndpointWrites>();
        services.AddSingleton<PolicyStatus>();
        AddHosted<PolicyReconciler>(services);
        services.AddSingleton(sp => new PolicyCounterReader(sp.GetRequiredService<PolicyStatus>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<NodeDropAttribution>();
        AddHosted<PolicyDropService>(services);
        services.AddSingleton(sp => new FlowTracer(NftablesHandle.Open, NftTraceMonitor.Open, sp.GetRequiredService<NodeDropAttribution>().DescribeRule));
        AddHosted<BgpBackendHost>(services);
        services.AddHostedService<ClusterSyncer>();
        services.AddSingleton<CniAgent>();
        services.AddHostedService<PendingReleaseDrainer>();
        if (options.CniConfDir is not null)
        {
            services.AddHostedService<ConflistWriter>();
        }
        services.AddSingleton<UninstallVerdict>();
        services.AddHostedService<UninstallDetector>();
        services.AddHostedService<MemoryTrimmer>();
        services.AddGrpc();
        replaceServices?.Invoke(services);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(options.ApiSocket, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                // The CNI plugin's light framing, recognised by its first bytes; gRPC passes through.
                CniFraming.Use(listen);
            });
            if (options.HealthPort != 0)
            {
                kestrel.Listen(options.HealthHost, options.HealthPort, listen => listen.Protocols = HttpProtocols.Http1);
            }
            if (options.MetricsPort != 0 && options.MetricsPort != options.HealthPort)
            {
                kestrel.Listen(options.MetricsHost, options.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });

        var app = builder.Build();
        // Resolved now so that uptime counts from the start, not from the first scrape.
        app.Services.GetRequiredService<NodeState>();
        LogStarting(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RoutedNet.Felix"), options.NodeName, options.Datastore, options.ApiSocket, options.HealthPort, options.MetricsPort);
        // Each listener serves only its own paths: the API only on the root-only socket, the
        // probes only on the health port, /metrics only on the metrics port (the TCP ports may be
        // reachable from the network).
        app.Use((context, next) => HealthEndpoints.Serves(options, context.Connection.LocalIpAddress is null ? null : context.Connection.LocalPort, context.Request.Path)
            ? next(context)
            : NotFound(context));
        app.MapGrpcService<NodeApiService>();
        HealthEndpoints.Map(app);
        return app;
    }

    private static Task NotFound(Microsoft.AspNetCore.Http.HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    /// <summary>Registers a hosted service that other services also talk to (one instance for both).</summary>
    private static void AddHosted<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(IServiceCollection services)
        where T : class, Microsoft.Extensions.Hosting.IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
    }

    [LoggerMessage(EventId = EventIds.Starting, Level = LogLevel.Information, Message = "routednet-node starting: node {NodeName}, datastore {Datastore}, API socket {ApiSocket}, health port {HealthPort}, metrics port {MetricsPort}")]
    private static partial void LogStarting(ILogger logger, string nodeName, string datastore, string apiSocket, int healthPort, int metricsPort);
}
