using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Datastore;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Hosting;

// routednet-node: see Hosting/AgentHost.cs for what runs; Configuration/Setting.cs for every flag.
// Everything that can be wrong with the configuration is found here, before anything starts, and
// ends the process with exit code 2 and one line saying what to fix. A failure the agent cannot
// heal by itself (a port taken, the API socket's directory not writable, gobgpd away at start)
// ends it with one line and exit code 1, so that its supervisor restarts it; 0 only after a stop
// that was asked for (SIGTERM, SIGINT).
AgentOptions? options;
NodeAddressChoice addresses;
IStore store;
try
{
    options = AgentOptionsLoader.Load(args, Environment.GetEnvironmentVariable, Console.Out);
    if (options is null)
    {
        return 0;
    }
    addresses = NodeAddressDetector.Detect(options);
    store = await OpenStoreAsync(options.Datastore, options.Etcd).ConfigureAwait(false);
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

await using (store.ConfigureAwait(false))
{
    var app = AgentHost.Build(options, addresses, store);
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
    await app.WaitForShutdownAsync().ConfigureAwait(false);
    if (FatalReason(app.Services) is { } reason)
    {
        await Console.Error.WriteLineAsync($"routednet-node: {reason}").ConfigureAwait(false);
        return 1;
    }
}
return 0;

static async Task<IStore> OpenStoreAsync(string url, EtcdSecurity etcd)
{
    try
    {
        return await StoreFactory.OpenAsync(DatastoreUrl.Parse(url), etcd).ConfigureAwait(false);
    }
    catch (Exception e) when (e is DatastoreException or IOException or ArgumentException)
    {
        throw new ConfigurationException($"datastore {url}: {e.Message}", e);
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
