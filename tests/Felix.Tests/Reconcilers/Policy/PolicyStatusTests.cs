using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.Reconcilers.Policy;

namespace RoutedNet.Felix.Tests.Reconcilers.Policy;

/// <summary>
/// Waiting for a revision to be enforced (WaitPolicyRevision, what bench/policy-enforce.sh and a
/// script after `apply` use instead of polling GetPolicyStatus): it ends with the first commit of
/// that revision or a later one, never with an earlier one, and says so when the time runs out.
/// </summary>
public sealed class PolicyStatusTests
{
    private readonly FakeTimeProvider _time = new();

    private static PolicyStatus.Snapshot Enforcing(long revision) => new(revision, [], [], 0, 0, null, null, 0);

    [Fact]
    public async Task WaitEnforced_AlreadyEnforced_TrueAtOnce()
    {
        var status = new PolicyStatus();
        status.Publish(Enforcing(12));

        Assert.True(await status.WaitEnforcedAsync(12, TimeSpan.FromSeconds(1), _time, CancellationToken.None));
    }

    [Fact]
    public async Task WaitEnforced_EarlierRevisionCommitted_StillWaiting_ThenLaterOneEndsIt()
    {
        var status = new PolicyStatus();
        var wait = status.WaitEnforcedAsync(20, TimeSpan.FromSeconds(5), _time, CancellationToken.None);

        status.Publish(Enforcing(19));
        await Task.Yield();
        Assert.False(wait.IsCompleted);

        status.Publish(Enforcing(25));
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitEnforced_NeverCommitted_FalseWhenTimeoutRunsOut()
    {
        var status = new PolicyStatus();
        status.Publish(Enforcing(3));
        var wait = status.WaitEnforcedAsync(4, TimeSpan.FromSeconds(2), _time, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, status.Current.EnforcedRevision);
    }

    [Fact]
    public async Task WaitEnforced_ManyWaiters_EachEndsWithItsOwnRevision()
    {
        var status = new PolicyStatus();
        var early = status.WaitEnforcedAsync(5, TimeSpan.FromSeconds(5), _time, CancellationToken.None);
        var late = status.WaitEnforcedAsync(9, TimeSpan.FromSeconds(5), _time, CancellationToken.None);

        status.Publish(Enforcing(6));

        Assert.True(await early.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(late.IsCompleted);
        status.Publish(Enforcing(9));
        Assert.True(await late.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
