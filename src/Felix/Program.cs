using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Datastore;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Install;
using RoutedNet.Felix.Kubernetes;
using RoutedNet.Kubernetes.Api;

// routednet-node: see Hosting/AgentHost.cs for what runs; Configuration/Setting.cs for every flag.
// Everything that can be wrong with the configuration is found here, before anything starts, and
// ends the process with exit code 2 and one line saying what to fix. A failure the agent cannot
// heal by itself (a port taken, the API socket's directory not writable, gobgpd away at start)
// ends it with one line and exit code 1, so that its supervisor restarts it; 0 only after a stop
// that was asked for (SIGTERM, SIGINT).
// One file, two programs: under the name routednetctl (a hard link of this binary) it is the CLI.
if (Path.GetFileName(Environment.GetCommandLineArgs()[0]) == RoutedNet.Ctl.CtlProgram.Name)
{
    return await RoutedNet.Ctl.CtlProgram.RunAsync(args).ConfigureAwait(false);
}

// One-shot subcommands share the binary (the image has no shell): the chart's init container and
// the uninstall fallback (Install/).
switch (args.FirstOrDefault())
{
    case InstallCniCommand.Name:
        return InstallCniCommand.Run(args[1..], Environment.GetEnvironmentVariable, Console.Out, Console.Error);
    case CleanupCommand.Name:
        return await CleanupCommand.RunAsync(args[1..], Environment.GetEnvironmentVariable, Console.Out, Console.Error).ConfigureAwait(false);
}

AgentOptions? options;
NodeAddressChoice addresses;
IStore store;
KubeApi? kubeApi = null;
// A SIGTERM while the agent waits for its core Node (before the host handles signals) ends it cleanly.
using var starting = new CancellationTokenSource();
using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; starting.Cancel(); }))
using (PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; starting.Cancel(); }))
try
{
    options = AgentOptionsLoader.Load(args, Environment.GetEnvironmentVariable, Console.Out);
    if (options is null)
    {
        return 0;
    }
    IReadOnlyList<IPAddress>? internalIps = null;
    if (options.IsKubernetes)
    {
        kubeApi = OpenKubeApi(options.Kubeconfig);
        if (options.NodeIp is null && options.NodeIpInterface is null && options.NodeIpAutodetection == NodeIpAutodetection.KubernetesInternalIp)
        {
            internalIps = await CoreNodeAddresses.WaitAsync(
                kubeApi, options.NodeName, line => Console.Error.WriteLine($"routednet-node: {line}"), TimeProvider.System, starting.Token).ConfigureAwait(false);
        }
    }
    addresses = NodeAddressDetector.Detect(options, internalIps);
    store = await OpenStoreAsync(options, starting.Token).ConfigureAwait(false);
    PrepareApiSocket(options.ApiSocket);
    NodeNameFile.Write(options.ApiSocket, options.NodeName);
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync($"routednet-node: invalid configuration: {e.Message}").ConfigureAwait(false);
    return 2;
}
catch (FatalStartException e)
{
    await Console.Error.WriteLineAsync($"routednet-node: {e.Message}").ConfigureAwait(false);
    return 1;
}
catch (OperationCanceledException) when (starting.IsCancellationRequested)
{
    kubeApi?.Dispose();
    return 0;
}

await using (store.ConfigureAwait(false))
{
    var app = AgentHost.Build(options, addresses, store, kubeApi is null ? null : services => services.AddSingleton(kubeApi));
    try
    {
        await ApiSocket.BindPrivatelyAsync(() => app.StartAsync()).ConfigureAwait(false);
    }
    catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException)
    {
        // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:9099:
        // address already in use."); what already started is stopped before the process ends.
        var what = e is SocketException ? $"API socket {options.ApiSocket}: {e.Message}" : e.Message;
        await Console.Error.WriteLineAsync($"routednet-node: {what}").ConfigureAwait(false);
        await StopQuietlyAsync(app).ConfigureAwait(false);
        return 1;
    }
    catch (OperationCanceledException)
    {
        // A service failed fatally (gobgpd unreachable, BGP's port taken) or SIGTERM came while
        // others were still starting (Kestrel binding): the host cancelled the rest of its start.
        // The failure, if there is one, is the exit's one line and code, as after a started run.
        await StopQuietlyAsync(app).ConfigureAwait(false);
        kubeApi?.Dispose();
        if (FatalReason(app.Services) is { } failed)
        {
            await Console.Error.WriteLineAsync($"routednet-node: {failed}").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
    await app.WaitForShutdownAsync().ConfigureAwait(false);
    if (app.Services.GetRequiredService<UninstallVerdict>().IsUninstall)
    {
        // Every service has stopped: nothing puts a route or an IPAM object back any more.
        await CleanupCommand.UninstallAsync(options, store, Console.Error).ConfigureAwait(false);
    }
    kubeApi?.Dispose();
    if (FatalReason(app.Services) is { } reason)
    {
        await Console.Error.WriteLineAsync($"routednet-node: {reason}").ConfigureAwait(false);
        return 1;
    }
}
return 0;

static async Task<IStore> OpenStoreAsync(AgentOptions options, CancellationToken cancellationToken)
{
    try
    {
        return await RoutedNet.Kubernetes.KubernetesStoreFactory.OpenAsync(DatastoreUrl.Parse(options.Datastore), options.Etcd, options.Kubeconfig, cancellationToken).ConfigureAwait(false);
    }
    catch (Exception e) when (e is DatastoreException or IOException or ArgumentException)
    {
        throw new ConfigurationException($"datastore {options.Datastore}: {e.Message}", e);
    }
}

// The agent's own reads of Pods, Namespaces and its core Node go through the same connection
// layer as the store (kubeconfig, else $KUBECONFIG, else the pod's service account).
static KubeApi OpenKubeApi(string? kubeconfig)
{
    try
    {
        return KubeApi.Open(kubeconfig);
    }
    catch (ArgumentException e)
    {
        throw new ConfigurationException($"datastore kubernetes: {e.Message}", e);
    }
}

static void PrepareApiSocket(string path)
{
    try
    {
        ApiSocket.Prepare(path);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        throw new FatalStartException($"API socket {path}: {e.Message}", e);
    }
}

// What stopped the agent when it was not asked to stop: a component's own verdict, else the first
// background service that ended with an exception (.NET's host logs it, then exits 0 on its own).
static string? FatalReason(IServiceProvider services)
{
    if (services.GetRequiredService<AgentFailure>().Reason is { } reason)
    {
        return reason;
    }
    var crashed = services.GetServices<IHostedService>()
        .OfType<BackgroundService>()
        .Select(s => s.ExecuteTask?.Exception?.InnerException)
        .FirstOrDefault(e => e is not null);
    if (crashed is null)
    {
        return null;
    }
    // A crash is a bug: its stack trace goes to the log for the report, the reason to stderr.
    services.GetRequiredService<ILoggerFactory>().CreateLogger("RoutedNet.Felix").LogCritical(crashed, "A component crashed; stopping the agent");
    return $"stopped after an internal error: {crashed.GetType().Name}: {crashed.Message}";
}

static async Task StopQuietlyAsync(Microsoft.AspNetCore.Builder.WebApplication app)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    try
    {
        await app.StopAsync(timeout.Token).ConfigureAwait(false);
    }
#pragma warning disable CA1031 // the process is ending with the start failure already reported
    catch (Exception)
#pragma warning restore CA1031
    {
    }
}
