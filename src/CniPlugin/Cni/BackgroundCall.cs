using System.Runtime.ExceptionServices;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// One blocking call on a thread of its own, so that the caller can do other blocking work
/// meanwhile (DEL: the IPAM plugin runs while the kernel tears the veth down). A plain thread, not
/// the thread pool, which would start worker and gate threads for this one call.
/// </summary>
internal sealed class BackgroundCall
{
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    private BackgroundCall(Action work)
    {
        _thread = new Thread(() =>
        {
            try
            {
                work();
            }
#pragma warning disable CA1031 // not swallowed: rethrown on the caller's thread by Join
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "background-call",
        };
    }

    public static BackgroundCall Start(Action work)
    {
        var call = new BackgroundCall(work);
        call._thread.Start();
        return call;
    }

    /// <summary>Waits for the call; its exception, if any, is thrown here.</summary>
    public void Join()
    {
        _thread.Join();
        _failure?.Throw();
    }
}
