using Microsoft.Extensions.Hosting;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;

// routednet-node: see Hosting/AgentHost.cs for what runs; Configuration/Setting.cs for every flag.
AgentOptions? options;
try
{
    options = AgentOptionsLoader.Load(args, Environment.GetEnvironmentVariable, Console.Out);
    if (options is null)
    {
        return 0;
    }
    ApiSocket.Prepare(options.ApiSocket);
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync($"routednet-node: invalid configuration: {e.Message}").ConfigureAwait(false);
    return 2;
}

var app = AgentHost.Build(options);
await ApiSocket.BindPrivatelyAsync(() => app.StartAsync()).ConfigureAwait(false);
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
