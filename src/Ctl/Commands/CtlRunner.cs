using RoutedNet.Datastore;
using RoutedNet.Kubernetes;

namespace RoutedNet.Ctl.Commands;

/// <summary>Opens the store named by --datastore (else ROUTEDNET_DATASTORE, else the default; kubernetes with --kubeconfig) and runs a command against it under <see cref="CtlFailure"/>.</summary>
internal static class CtlRunner
{
    public static Task<int> RunAsync(string? datastore, Func<IStore, Task<int>> action) => CtlFailure.RunAsync(async () =>
    {
        DatastoreUrl url;
        try
        {
            url = DatastoreUrl.Resolve(datastore);
        }
        catch (ArgumentException e)
        {
            throw new CtlException(CtlExitCode.Usage, $"bad datastore URL: {e.Message}", e);
        }
        IStore store;
        try
        {
            store = await KubernetesStoreFactory.OpenAsync(url, EtcdFlags.Current, KubeconfigFlag.Current, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            // TLS or auth settings that do not fit the URL (e.g. certificates for a plain etcd://),
            // or a kubeconfig that cannot be read
            throw new CtlException(CtlExitCode.Usage, $"datastore {url.Text}: {e.Message}", e);
        }
        catch (Exception e) when (e is DatastoreException and not DatastoreUnusableException or IOException or InvalidOperationException or System.Data.Common.DbException)
        {
            throw new CtlException(CtlExitCode.Unreachable, $"cannot reach the datastore {url.Text}: {e.Message}", e);
        }
        await using (store.ConfigureAwait(false))
        {
            return await action(store).ConfigureAwait(false);
        }
    });

    public static string ReadFile(string path) =>
        path == "-" ? Console.In.ReadToEnd()
        : File.Exists(path) ? File.ReadAllText(path)
        : throw new CtlException(CtlExitCode.Usage, $"file \"{path}\" does not exist");
}
