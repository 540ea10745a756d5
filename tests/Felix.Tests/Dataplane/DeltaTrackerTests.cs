using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Tests.Dataplane;

public sealed class DeltaTrackerTests
{
    private readonly DeltaTracker<string, int> _tracker = new();

    [Fact]
    public void SetDesired_NotInDataplane_PendingUpdate()
    {
        _tracker.SetDesired("a", 1);

        Assert.Equal(["a"], _tracker.PendingUpdates);
        Assert.Empty(_tracker.PendingDeletions);
    }

    [Fact]
    public void SetDataplane_MatchesDesired_NothingPending()
    {
        _tracker.SetDesired("a", 1);
        _tracker.SetDataplane("a", 1);

        Assert.True(_tracker.InSync);
    }

    [Fact]
    public void SetDataplane_DiffersFromDesired_StillPendingUpdate()
    {
        _tracker.SetDesired("a", 1);
        _tracker.SetDataplane("a", 2);

        Assert.Equal(["a"], _tracker.PendingUpdates);
    }

    [Fact]
    public void DeleteDesired_StillInDataplane_PendingDeletion()
    {
        _tracker.SetDesired("a", 1);
        _tracker.SetDataplane("a", 1);

        _tracker.DeleteDesired("a");

        Assert.Equal(["a"], _tracker.PendingDeletions);
        Assert.Empty(_tracker.PendingUpdates);
    }

    [Fact]
    public void ReplaceDataplane_Resync_FindsMissingExtraAndDrifted()
    {
        _tracker.SetDesired("kept", 1);
        _tracker.SetDesired("lost", 2);
        _tracker.SetDesired("drifted", 3);
        _tracker.SetDataplane("kept", 1);
        _tracker.SetDataplane("lost", 2);
        _tracker.SetDataplane("drifted", 3);

        _tracker.ReplaceDataplane([new("kept", 1), new("drifted", 30), new("extra", 4)]);

        Assert.Equal(["drifted", "lost"], _tracker.PendingUpdates.Order(StringComparer.Ordinal));
        Assert.Equal(["extra"], _tracker.PendingDeletions);
    }

    [Fact]
    public void DeleteDataplane_AfterDeletion_NothingPending()
    {
        _tracker.SetDataplane("a", 1);
        Assert.Equal(["a"], _tracker.PendingDeletions);

        _tracker.DeleteDataplane("a");

        Assert.True(_tracker.InSync);
    }
}
