using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Hosting;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// Deletes the host veths of deleted pods after their DEL has had its answer
/// (CniReleaseRequest.delete_host_veth). The kernel takes tens of milliseconds to delete a veth
/// (it waits out RCU grace periods), which was most of a DEL and so of kubelet's pod teardown.
/// The plugin quiesces the veth first (down, unrouted, in <see cref="LinkGroups.DeletedPodVeths"/>),
/// so waiting is safe, and the group lets one kernel operation delete every veth quiesced so far:
/// the grace periods are waited out once per batch, not once per pod. The agent's start deletes
/// what its stop left; until then such a veth carries nothing, a new sandbox of the same pod
/// deletes it first (the host name is the pod's identity), and deleting the pod's netns takes the
/// pair with it.
/// </summary>
public sealed partial class VethReaper : IDisposable
{
    private readonly SemaphoreSlim _work = new(0, 1);
    private readonly Thread _worker;
    private readonly ILogger _logger;
    private volatile bool _stopping;

    public VethReaper(ILogger logger)
    {
        _logger = logger;
        // One thread of its own: a group deletion blocks for the whole of it.
        _worker = new Thread(Run) { IsBackground = true, Name = "routednet veth reaper" };
        _worker.Start();
        Poke(); // what a stop left
    }

    /// <summary>Asks for a pass over the group; false once the reaper is stopping (the caller deletes its veth itself).</summary>
    public bool Poke()
    {
        if (_stopping)
        {
            return false;
        }
        try
        {
            _work.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is due already; it takes this veth too.
        }
        return true;
    }

    /// <summary>Makes a last pass, then stops.</summary>
    public void Dispose()
    {
        _stopping = true;
        try
        {
            _work.Release();
        }
        catch (SemaphoreFullException)
        {
        }
        _worker.Join();
        _work.Dispose();
    }

    private void Run()
    {
        NetlinkHandle? host = null;
        try
        {
            while (true)
            {
                _work.Wait();
                var last = _stopping;
                try
                {
                    host ??= NetlinkHandle.Open();
                    host.DeleteLinkGroup(LinkGroups.DeletedPodVeths);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
                {
                    // Nothing in the group: gone with their netns, or deleted by a new sandbox.
                }
                catch (NetlinkException e)
                {
                    LogDeleteFailed(e.Message);
                    host?.Dispose();
                    host = null;
                }
                if (last)
                {
                    return;
                }
            }
        }
        finally
        {
            host?.Dispose();
        }
    }

    [LoggerMessage(EventId = EventIds.CniVethDeleteFailed, Level = LogLevel.Warning, Message = "Could not delete the host veths of deleted pods (link group 29294: {Problem}); they carry no route, and the next DEL tries again")]
    private partial void LogDeleteFailed(string problem);
}
