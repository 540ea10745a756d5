using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Tests.Contract;

namespace RoutedNet.Datastore.Tests;

/// <summary>
/// Not a test: `dotnet RoutedNet.Datastore.Tests.dll cas-increment URL NAME TIMES` is a separate
/// OS process that CAS-increments a counter, so the sqlite tests can race real processes (file
/// locks, not just connections) the way parallel CNI binaries do. Prints how many CAS it lost.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["cas-increment", var url, var name, var times])
        {
            await Console.Error.WriteLineAsync("usage: cas-increment URL NAME TIMES");
            return 2;
        }
        await using var store = await StoreFactory.OpenAsync(url);
        var conflicts = await CasCounter.IncrementAsync(store, name, int.Parse(times, CultureInfo.InvariantCulture));
        Console.WriteLine(conflicts.ToString(CultureInfo.InvariantCulture));
        return 0;
    }
}
