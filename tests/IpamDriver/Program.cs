using RoutedNet.Datastore;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Allocation;
using RoutedNet.Ipam.Cache;
using RoutedNet.Kubernetes;
using RoutedNet.Tests.IpamDriver;

// churn --datastore URL [--kubeconfig PATH] [--no-transactions] [--cache] --node NODE --prefix P [--count N]
// Allocates one IPv4 address for handles P.0, P.1, … and releases every third one again, printing
// "add HANDLE ADDRESS" once an allocation returned, "deleting HANDLE" before a release starts (from
// then on the attachment is dead, as after a runtime's DEL) and "deleted HANDLE" after it. Runs
// until N handles were allocated or it is killed.
var options = DriverOptions.Parse(args);
if (options.Error is not null)
{
    await Console.Error.WriteLineAsync(options.Error);
    return 2;
}
var url = DatastoreUrl.Parse(options.Datastore!);
var opened = await KubernetesStoreFactory.OpenAsync(url, EtcdSecurity.None, options.Kubeconfig, CancellationToken.None);
await using IStore store = options.NoTransactions ? new NoTransactionsStore(opened) : opened;
await using var cache = options.Cache ? new NodeBlockCache(store, options.Node!) : null;
if (cache is not null)
{
    await cache.StartAsync();
}
var ipam = new IpamClient(store, cache: cache);
var stdout = Console.Out;
for (var i = 0; i < options.Count; i++)
{
    var handle = $"{options.Prefix}.{i}";
    var got = await ipam.AllocateAsync(new AllocationRequest
    {
        HandleId = handle,
        Node = options.Node!,
        IPv4Count = 1,
        Attributes = new Dictionary<string, string> { [AttributeKeys.Node] = options.Node! },
    });
    await stdout.WriteLineAsync($"add {handle} {got[0].Address}");
    await stdout.FlushAsync();
    if (i % 3 == 2)
    {
        var victim = $"{options.Prefix}.{i - 1}";
        await stdout.WriteLineAsync($"deleting {victim}");
        await stdout.FlushAsync();
        await ipam.ReleaseHandleAsync(victim);
        await stdout.WriteLineAsync($"deleted {victim}");
        await stdout.FlushAsync();
    }
}
return 0;
