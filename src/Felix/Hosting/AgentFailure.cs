using Microsoft.Extensions.Hosting;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// A failure the agent cannot heal by itself (BGP's port taken, gobgpd unreachable at start): the
/// component that meets it says so here, the host stops, and Program ends the process with one line
/// and exit code 1, so that systemd or the DaemonSet restarts the agent. A BackgroundService that
/// just throws would stop the host too, but .NET's host then exits 0 (dotnet/runtime#67146), which a
/// supervisor reads as a deliberate stop and never restarts. The first failure wins: what follows is
/// usually its consequence.
/// </summary>
public sealed class AgentFailure(IHostApplicationLifetime lifetime)
{
    private string? _reason;

    /// <summary>Why the agent stopped, or null while nothing fatal happened.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public void Stop(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null)
        {
            lifetime.StopApplication();
        }
    }
}
