using System.Runtime.ExceptionServices;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink;

/// <summary>
/// Runs code inside another network namespace. A namespace belongs to an OS thread, not to a
/// process or a task, so the work runs synchronously on a new dedicated thread that setns()es into
/// the target, runs, setns()es back to where it started and ends. The caller's thread and the
/// thread pool never change namespace, whatever the work throws. Never `await` inside the work:
/// the continuation would run on another thread, in another namespace.
/// Sockets opened inside stay bound to that namespace and can be used from any thread afterwards
/// (that is how <see cref="NetlinkHandle.OpenNamespace"/> works).
/// </summary>
public static class NetworkNamespace
{
    /// <summary>Runs <paramref name="work"/> inside the namespace file <paramref name="path"/> (/run/netns/x, /proc/PID/ns/net).</summary>
    public static T Run<T>(string path, Func<T> work)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(work);

        // Opened on the caller's thread so that a missing namespace fails before a thread is made.
        var target = Syscalls.OpenReadOnly(path, "netns open " + path);
        try
        {
            T result = default!;
            ExceptionDispatchInfo? failure = null;
            var thread = new Thread(
                () =>
                {
                    try
                    {
                        result = RunOnThisThread(target, path, work);
                    }
#pragma warning disable CA1031 // every failure is carried back to the caller's thread and rethrown there
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                })
            {
                IsBackground = true,
                Name = "netns",
            };
            thread.Start();
            thread.Join();
            failure?.Throw();
            return result;
        }
        finally
        {
            Syscalls.Close(target);
        }
    }

    /// <inheritdoc cref="Run{T}(string, Func{T})"/>
    public static void Run(string path, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Run(path, () =>
        {
            work();
            return true;
        });
    }

    /// <summary>The inode of a namespace file: equal inodes mean the same namespace.</summary>
    public static ulong InodeOf(string path) => Syscalls.Inode(path);

    /// <summary>The inode of the calling thread's own network namespace.</summary>
    public static ulong CurrentThreadInode() => Syscalls.Inode(Syscalls.ThreadNetworkNamespace);

    private static T RunOnThisThread<T>(int target, string path, Func<T> work)
    {
        var original = Syscalls.OpenReadOnly(Syscalls.ThreadNetworkNamespace, "netns open " + Syscalls.ThreadNetworkNamespace);
        try
        {
            Syscalls.EnterNetworkNamespace(target, "netns enter " + path);
            try
            {
                return work();
            }
            finally
            {
                // The thread ends right after, so even a failed return could not leak the namespace
                // to other work; returning anyway keeps the contract simple to state and to test.
                Syscalls.EnterNetworkNamespace(original, "netns return from " + path);
            }
        }
        finally
        {
            Syscalls.Close(original);
        }
    }
}
