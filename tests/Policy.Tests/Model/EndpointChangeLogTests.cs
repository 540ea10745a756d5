using RoutedNet.Policy;

namespace RoutedNet.Policy.Tests.Model;

/// <summary>
/// The change log the agent's snapshots carry: a consumer gets the ids changed since the
/// generation it saw, or is told the log cannot say (another lineage, or history no longer kept),
/// and then compares in full.
/// </summary>
public sealed class EndpointChangeLogTests
{
    [Fact]
    public void ChangedSince_SeveralGenerationsLater_EveryIdChangedInBetween()
    {
        var seen = EndpointChangeLog.Start().Append(["x/a"]);
        var now = seen.Append(["x/b"]).Append(["y/c", "x/b"]);
        var changed = new HashSet<string>();

        Assert.True(now.TryChangedSince(seen, changed));

        Assert.Equal(["x/b", "y/c"], changed.Order());
        Assert.Equal(3, now.Generation);
    }

    [Fact]
    public void ChangedSince_SameGeneration_NothingChanged()
    {
        var log = EndpointChangeLog.Start().Append(["x/a"]);
        var changed = new HashSet<string>();

        Assert.True(log.TryChangedSince(log, changed));
        Assert.Empty(changed);
    }

    [Fact]
    public void ChangedSince_AnotherLineageOrANewerGeneration_CannotTell()
    {
        var mine = EndpointChangeLog.Start().Append(["x/a"]);
        var other = EndpointChangeLog.Start().Append(["x/a"]);

        Assert.False(mine.TryChangedSince(other, new HashSet<string>()));
        Assert.False(mine.TryChangedSince(mine.Append(["x/b"]), new HashSet<string>()));
    }

    [Fact]
    public void ChangedSince_FarBehind_CannotTellButRecentHistoryStillKept()
    {
        var start = EndpointChangeLog.Start();
        var log = start;
        EndpointChangeLog? recent = null;
        for (var i = 0; i < 200; i++)
        {
            log = log.Append([$"ns/p{i}"]);
            if (i == 190)
            {
                recent = log;
            }
        }
        var changed = new HashSet<string>();

        Assert.False(log.TryChangedSince(start, new HashSet<string>()));
        Assert.True(log.TryChangedSince(recent!, changed));
        Assert.Equal(Enumerable.Range(191, 9).Select(i => $"ns/p{i}").Order(), changed.Order());
    }
}
