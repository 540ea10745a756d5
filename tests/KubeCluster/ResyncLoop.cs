namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// What the harness's controllers and kubelets share: their sync, once a second until stopped, as
/// kube controllers resync. An API error ends only that round (one line naming who failed); the
/// next round reads the API again.
/// </summary>
public sealed class ResyncLoop(string name, Func<Task> sync) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops the loop and waits for the round under way.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await sync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                Console.Error.WriteLine($"{name}: {e.Message}");
            }
            try
            {
                await Task.Delay(1000, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
