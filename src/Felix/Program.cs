using Microsoft.Extensions.Hosting;
using RoutedNet.Datastore;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Datastore;
using RoutedNet.Felix.Hosting;

// routednet-node: see Hosting/AgentHost.cs for what runs; Configuration/Setting.cs for every flag.
// Everything that can be wrong with the configuration is found here, before anything starts, and
// ends the process with exit code 2 and one line saying what to fix.
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
    ApiSocket.Prepare(options.ApiSocket);
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync($"routednet-node: invalid configuration: {e.Message}").ConfigureAwait(false);
    return 2;
}

await using (store.ConfigureAwait(false))
{
    var app = AgentHost.Build(options, addresses, store);
    await ApiSocket.BindPrivatelyAsync(() => app.StartAsync()).ConfigureAwait(false);
    await app.WaitForShutdownAsync().ConfigureAwait(false);
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
