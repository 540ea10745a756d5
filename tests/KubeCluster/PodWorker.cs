namespace RoutedNet.Tests.KubeCluster;

/// <summary>One pod's runtime on its own task: run until terminated, then stop it and report.</summary>
public sealed class PodWorker
{
    private readonly IPodRuntime _runtime;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public PodWorker(IPodRuntime runtime) => _runtime = runtime;

    public IPodRuntime Runtime => _runtime;

    public bool Terminating => Termination is not null;

    public Task? Termination { get; private set; }

    public void Start() => _run = Task.Run(async () =>
    {
        try
        {
            await _runtime.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // terminated
        }
#pragma warning disable CA1031 // a pod that fails to run is reported on the console; the kubelet goes on with the others
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"pod runtime failed: {e}");
        }
    });

    public void Terminate(int gracePeriodSeconds, Func<Task> then) => Termination = Task.Run(async () =>
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }
        try
        {
            await _runtime.StopAsync(gracePeriodSeconds).ConfigureAwait(false);
            await then().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // reported; the kubelet retries nothing here, the test sees the pod remain
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"pod termination failed: {e}");
        }
        _stop.Dispose();
    });
}
