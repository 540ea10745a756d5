using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Hosting;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// Deletes the host veths that CNI DELs hand over (CniReleaseRequest.delete_host_veth_index), after
/// the DEL has had its answer. The kernel takes tens of milliseconds to delete a veth (it waits out
/// RCU grace periods), and that wait was most of a DEL and so of kubelet's pod teardown. Handing
/// it over is safe because by then the pod's host routes are gone (the plugin removes them first)
/// and its addresses are released: the veth is an unrouted leftover. If the agent stops before
/// deleting it, nothing is routed through it, the runtime's deletion of the pod's netns takes the
/// pair with it, and a new sandbox of the same pod deletes it first (the host name is the pod's
/// identity). Deleted by index, never by name: a new veth of the same pod has the same name.
/// </summary>
public sealed partial class VethReaper : IDisposable
{
    private readonly BlockingCollection<int> _queue = new();
    private readonly Thread _worker;
    private readonly ILogger _logger;
    private long _deleted;

    public VethReaper(ILogger logger)
    {
        _logger = logger;
        // One thread of its own: netlink calls block, each for the whole deletion.
        _worker = new Thread(Run) { IsBackground = true, Name = "routednet veth reaper" };
        _worker.Start();
    }

    /// <summary>Veths deleted so far (or found gone already).</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Queues the host veth with this index for deletion; false once the reaper is stopping (the caller deletes it itself).</summary>
    public bool Hand(int hostVethIndex) => hostVethIndex > 0 && _queue.TryAdd(hostVethIndex);

    /// <summary>Deletes what is queued, then stops.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _worker.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        NetlinkHandle? host = null;
        try
        {
            foreach (var index in _queue.GetConsumingEnumerable())
            {
                try
                {
                    host ??= NetlinkHandle.Open();
                    host.DeleteLink(index);
                }
                catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
                {
                    // Gone with the pod's netns, or deleted by a new sandbox of the same pod.
                }
                catch (NetlinkException e)
                {
                    LogDeleteFailed(index, e.Message);
                    host?.Dispose();
                    host = null;
                    continue;
                }
                Interlocked.Increment(ref _deleted);
            }
        }
        finally
        {
            host?.Dispose();
        }
    }

    [LoggerMessage(EventId = EventIds.CniVethDeleteFailed, Level = LogLevel.Warning, Message = "Could not delete the host veth with index {Index} after its pod's DEL ({Problem}); it carries no route and goes with the pod's netns")]
    private partial void LogDeleteFailed(int index, string problem);
}
