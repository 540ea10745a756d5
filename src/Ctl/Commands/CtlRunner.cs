using RoutedNet.Datastore;
using RoutedNet.Ipam;

namespace RoutedNet.Ctl.Commands;

/// <summary>Opens the store named by --datastore (else ROUTEDNET_DATASTORE, else the default) and turns failures into one clear line and exit 1.</summary>
internal static class CtlRunner
{
    public static async Task<int> RunAsync(string? datastore, Func<IStore, Task<int>> action)
    {
        try
        {
            DatastoreUrl url;
            try
            {
                url = DatastoreUrl.Resolve(datastore);
            }
            catch (ArgumentException e)
            {
                throw new CtlException($"bad datastore URL: {e.Message}", e);
            }
            IStore store;
            try
            {
                store = await StoreFactory.OpenAsync(url, EtcdFlags.Current).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                throw new CtlException($"datastore {url.Text}: {e.Message}", e);
            }
            catch (Exception e) when (e is DatastoreException or IOException or InvalidOperationException)
            {
                throw new CtlException($"cannot reach the datastore {url.Text}: {e.Message}", e);
            }
            await using (store.ConfigureAwait(false))
            {
                return await action(store).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CtlException or DatastoreException or IpamException or FileNotFoundException or FormatException)
        {
            var message = e is DatastoreUnavailableException ? $"cannot reach the datastore: {e.Message}" : e.Message;
            await Console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static string ReadFile(string path) =>
        path == "-" ? Console.In.ReadToEnd()
        : File.Exists(path) ? File.ReadAllText(path)
        : throw new CtlException($"file \"{path}\" does not exist");
}
