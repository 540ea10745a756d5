using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

public abstract partial class StoreContractTests
{
    private const int Clients = 4;
    private const int WorkersPerClient = 4;
    private const int IncrementsPerWorker = 25;

    [Fact]
    public async Task CasIncrement_ManyClientsInParallel_LosesNoUpdate()
    {
        await Store.CreateAsync(CasCounter.New("counter"));
        var clients = new List<IStore>();
        for (var i = 0; i < Clients; i++)
        {
            clients.Add(await OpenAnotherAsync());
        }

        await Task.WhenAll(clients
            .SelectMany(client => Enumerable.Range(0, WorkersPerClient).Select(_ => client))
            .Select(client => Task.Run(() => CasCounter.IncrementAsync(client, "counter", IncrementsPerWorker))));

        var final = await Store.GetAsync<IPAMConfig>("counter");
        // Whether the writers happened to interleave depends on the machine's load; that a stale
        // revision is refused is proven deterministically in the Crud tests. Here: nothing is lost.
        Assert.Equal(Clients * WorkersPerClient * IncrementsPerWorker, final.Spec.MaxBlocksPerHost);
    }

    [Fact]
    public async Task Create_SameNameFromManyClients_ExactlyOneWins()
    {
        var clients = new List<IStore>();
        for (var i = 0; i < Clients; i++)
        {
            clients.Add(await OpenAnotherAsync());
        }

        var outcomes = await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 4).Select(_ => c)).Select(async (client, i) =>
        {
            try
            {
                await client.CreateAsync(NewNode("claimed", $"10.0.0.{i + 1}/24"));
                return true;
            }
            catch (ResourceAlreadyExistsException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
    }
}
