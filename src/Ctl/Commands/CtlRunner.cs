using RoutedNet.Datastore;
using RoutedNet.Ipam;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// Opens the store named by --datastore (else ROUTEDNET_DATASTORE, else the default) and turns
/// failures into one clear line: exit 2 for a bad URL or a refused object, 3 when the store
/// cannot be reached, 1 for the rest.
/// </summary>
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
                throw new CtlException($"bad datastore URL: {e.Message}", e) { ExitCode = 2 };
            }
            IStore store;
            try
            {
                store = await StoreFactory.OpenAsync(url).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatastoreException and not DatastoreUnusableException or IOException or InvalidOperationException)
            {
                throw new CtlException($"cannot reach the datastore {url.Text}: {e.Message}", e) { ExitCode = 3 };
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
            return e switch
            {
                CtlException ctl => ctl.ExitCode,
                DatastoreUnavailableException => 3,
                ResourceValidationException => 2,
                _ => 1,
            };
        }
    }

    public static string ReadFile(string path) =>
        path == "-" ? Console.In.ReadToEnd()
        : File.Exists(path) ? File.ReadAllText(path)
        : throw new CtlException($"file \"{path}\" does not exist");
}
