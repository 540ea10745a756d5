using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Tests.Contract;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Datastore.Tests.Sqlite;

/// <summary>
/// CNI binaries are separate processes sharing one sqlite file: race real processes (each
/// `Program.Main cas-increment`) on one counter and check that no increment is lost.
/// </summary>
public sealed class SqliteMultiProcessTests : IDisposable
{
    private const int Processes = 6;
    private const int IncrementsPerProcess = 40;

    private readonly TempDatabase _database = new();

    [Fact]
    public async Task CasIncrement_SeveralProcessesInParallel_LosesNoUpdate()
    {
        await using (var store = await StoreFactory.OpenAsync(_database.Url))
        {
            await store.CreateAsync(CasCounter.New("counter"));
        }

        var runs = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => Proc.RunAsync(
            DotnetHost(),
            [Path.Combine(AppContext.BaseDirectory, "RoutedNet.Datastore.Tests.dll"), "cas-increment", _database.Url, "counter", IncrementsPerProcess.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(5))));

        foreach (var run in runs)
        {
            run.EnsureSuccess();
        }
        await using var check = await StoreFactory.OpenAsync(_database.Url);
        var counter = await check.GetAsync<IPAMConfig>("counter");
        Assert.Equal(Processes * IncrementsPerProcess, counter.Spec.MaxBlocksPerHost);
        // the revision counts every successful write: the create plus each increment
        Assert.Equal((1 + (Processes * IncrementsPerProcess)).ToString(CultureInfo.InvariantCulture), counter.Metadata.ResourceVersion);
    }

    public void Dispose() => _database.Dispose();

    // The test host runs under the dotnet muxer; the SDK exports its path for child processes.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
