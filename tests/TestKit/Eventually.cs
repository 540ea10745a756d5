namespace RoutedNet.Tests.TestKit;

/// <summary>
/// Polls a condition that becomes true asynchronously (a BGP session establishing, a route
/// appearing). The timeout is a generous upper bound for failure, not a speed assertion.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
                last = null;
            }
#pragma warning disable CA1031 // a probe that throws is just "not yet"; the last error is reported
            catch (Exception e)
#pragma warning restore CA1031
            {
                last = e;
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        throw new TimeoutException($"timed out after {timeout ?? DefaultTimeout} waiting for {what}", last);
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), what, timeout);
}
