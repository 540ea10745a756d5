using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>Runs the <see cref="PolicyDropRecorder"/> for the agent's lifetime, in the agent's own network namespace.</summary>
public sealed class PolicyDropService(NodeDropAttribution attribution, ILogger<PolicyDropService> logger, TimeProvider time) : IHostedService, IDisposable
{
    public PolicyDropRecorder Recorder { get; } = new(() => new NfLogDropSource(PolicyDropRecorder.Group), attribution, logger, time);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Recorder.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Recorder.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Recorder.Dispose();
}
