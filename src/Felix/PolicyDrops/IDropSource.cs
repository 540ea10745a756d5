using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>Where logged packets come from: the NFLOG group in the node's namespace, or a test's script.</summary>
public interface IDropSource : IDisposable
{
    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/>; adds what arrived; false when nothing did.</summary>
    bool TryRead(int timeoutMilliseconds, List<NfLogPacket> packets);
}

/// <summary>The kernel's NFLOG group, bound in the calling thread's namespace.</summary>
public sealed class NfLogDropSource(ushort group) : IDropSource
{
    private readonly NfLogMonitor _monitor = NfLogMonitor.Open(group);

    public bool TryRead(int timeoutMilliseconds, List<NfLogPacket> packets) => _monitor.TryRead(timeoutMilliseconds, packets);

    public void Dispose() => _monitor.Dispose();
}
