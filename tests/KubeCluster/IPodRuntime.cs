namespace RoutedNet.Tests.KubeCluster;

/// <summary>How the kubelet runs one pod: until <see cref="RunAsync"/>'s token fires, then stopped within the grace period.</summary>
public interface IPodRuntime
{
    Task RunAsync(CancellationToken stop);

    Task StopAsync(int gracePeriodSeconds);
}
