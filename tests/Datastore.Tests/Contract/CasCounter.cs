using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Contract;

/// <summary>The read-modify-CAS loop the concurrency tests race (an IPAMConfig's maxBlocksPerHost used as a counter).</summary>
public static class CasCounter
{
    public static IPAMConfig New(string name) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new IPAMConfigSpec { MaxBlocksPerHost = 0 },
    };

    /// <summary>Adds one <paramref name="times"/> times; on conflict reads again. Returns how many CAS it lost.</summary>
    public static async Task<int> IncrementAsync(IStore store, string name, int times)
    {
        var conflicts = 0;
        for (var done = 0; done < times;)
        {
            var counter = await store.GetAsync<IPAMConfig>(name);
            try
            {
                await store.UpdateAsync(counter with { Spec = counter.Spec with { MaxBlocksPerHost = counter.Spec.MaxBlocksPerHost + 1 } });
                done++;
            }
            catch (RevisionConflictException)
            {
                conflicts++;
            }
        }
        return conflicts;
    }
}
