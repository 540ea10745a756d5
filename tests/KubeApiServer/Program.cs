// routednet-test-apiserver: a STAND-IN for kube-apiserver, for tests only (README "Testing").
// No kube-apiserver can run on the machines these tests run on, so this server enforces the API
// semantics that RoutedNet's kubernetes datastore and the real kubectl and helm depend on
// (resourceVersion concurrency, watch with bookmarks and 410, selectors, paging, CRDs with schema
// validation, status subresources, patches and server-side apply, tokens and RBAC), keeping
// every object in memory. It is never shipped: ./build.sh publishes it to out/test, not out/bin.
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.KubeApiServer;
using RoutedNet.KubeApiServer.Api;
using RoutedNet.KubeApiServer.Storage;

var options = ServerOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    return 2;
}
try
{
    Directory.CreateDirectory(options.Dir);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"routednet-test-apiserver: cannot use --dir {options.Dir}: {e.Message}");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
var certificates = options.PlainHttp ? null : ServingCertificates.Create(options.Address);
builder.WebHost.ConfigureKestrel(k =>
{
    k.Listen(options.Address, options.Port, l =>
    {
        l.Protocols = HttpProtocols.Http1;
        if (certificates is not null)
        {
            l.UseHttps(certificates.Server);
        }
    });
    k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
});
var app = builder.Build();
var state = new ServerState
{
    Options = options,
    Store = new ObjectStore(options.HistoryWindow),
    Tokens = new RoutedNet.KubeApiServer.Auth.TokenAuthenticator(),
};
Bootstrap.Seed(state);
var handler = new ApiHandler(state);
app.Run(handler.HandleAsync);

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    Console.Error.WriteLine($"routednet-test-apiserver: cannot listen on {new IPEndPoint(options.Address, options.Port)}: {e.Message}");
    return 1;
}
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
var port = new Uri(address).Port;
state.Options = options with { Port = port };
var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
// Open watches would hold the shutdown for its whole timeout: end them first.
lifetime.ApplicationStopping.Register(() => state.Store.DropWatches(null));
using var bookmarks = new PeriodicTimer(options.BookmarkInterval);
var bookmarkLoop = Task.Run(async () =>
{
    while (await bookmarks.WaitForNextTickAsync())
    {
        state.Store.SendBookmarks();
    }
});
var kubeconfig = Kubeconfig.Write(options.Dir, new IPEndPoint(options.Address, port), state.Tokens.AdminToken, certificates?.CaPem);
Console.WriteLine($"routednet-test-apiserver: serving {(certificates is null ? "http" : "https")}://{new IPEndPoint(options.Address, port)}, kubeconfig {kubeconfig}");
await app.WaitForShutdownAsync();
bookmarks.Dispose();
await bookmarkLoop;
return 0;
