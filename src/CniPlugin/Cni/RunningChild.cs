using System.Runtime.InteropServices;
using Tmds.Linux;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// A child started by <see cref="ChildProcess.Start"/>: its pid, our ends of its stdin and stdout
/// pipes and what is left of its stdin. The constructor writes what the pipe takes at once;
/// <see cref="Finish"/> writes the rest while reading stdout to EOF, then reaps the child.
/// </summary>
internal sealed unsafe class RunningChild
{
    private readonly int _pid;
    private readonly int _stdoutFd;
    private readonly byte[] _stdin;
    private readonly long _deadline;
    private int _stdinFd;
    private int _written;

    internal RunningChild(int pid, int stdinFd, int stdoutFd, byte[] stdin, long deadline)
    {
        (_pid, _stdinFd, _stdoutFd, _stdin, _deadline) = (pid, stdinFd, stdoutFd, stdin, deadline);
        if (LibC.fcntl(_stdinFd, LibC.F_SETFL, LibC.O_NONBLOCK) != 0)
        {
            throw new IOException($"fcntl: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        WriteStdin();
    }

    /// <summary>
    /// Waits for the child; throws <see cref="TimeoutException"/> (after killing it) when it has
    /// not closed its stdout by the deadline. Closes our pipe ends either way.
    /// </summary>
    public ChildProcess.Outcome Finish()
    {
        byte[] stdout;
        try
        {
            stdout = Converse();
        }
        catch (TimeoutException)
        {
            _ = PosixSpawn.Kill(_pid, PosixSpawn.SIGKILL);
            _ = Wait();
            throw;
        }
        finally
        {
            CloseStdin();
            LibC.close(_stdoutFd);
        }
        return new ChildProcess.Outcome(Wait(), stdout);
    }

    // Writes stdin and reads stdout together (poll on both), so that neither a large config nor a
    // chatty child can deadlock us; stdin is closed once written, as a plugin reads to EOF.
    private byte[] Converse()
    {
        using var output = new MemoryStream();
        var buffer = stackalloc byte[4096];
        var fds = stackalloc pollfd[2];
        while (true)
        {
            var remaining = _deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException();
            }
            fds[0] = new pollfd { fd = _stdoutFd, events = LibC.POLLIN };
            fds[1] = new pollfd { fd = _stdinFd, events = LibC.POLLOUT };
            var ready = RoutedNet.Netlink.Interop.Poll.Wait(fds, _stdinFd >= 0 ? 2u : 1u, (int)Math.Min(remaining, int.MaxValue));
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            if (_stdinFd >= 0 && fds[1].revents != 0)
            {
                WriteStdin();
            }
            if (fds[0].revents != 0)
            {
                var n = (long)LibC.read(_stdoutFd, buffer, 4096);
                if (n == 0)
                {
                    return output.ToArray();
                }
                if (n > 0)
                {
                    output.Write(new ReadOnlySpan<byte>(buffer, (int)n));
                }
                else if (Marshal.GetLastPInvokeError() is var errno && errno != LibC.EINTR && errno != LibC.EAGAIN)
                {
                    throw new IOException($"read: {Marshal.GetPInvokeErrorMessage(errno)}");
                }
            }
        }
    }

    // One non-blocking write of what is left. EPIPE: the child exited without reading its config;
    // its exit code and output say why. Either way it gets EOF once we stop writing.
    private void WriteStdin()
    {
        if (_stdinFd < 0)
        {
            return;
        }
        long n = 0;
        var errno = 0;
        if (_written < _stdin.Length)
        {
            fixed (byte* data = _stdin)
            {
                n = (long)LibC.write(_stdinFd, data + _written, _stdin.Length - _written);
                errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            if (n > 0)
            {
                _written += (int)n;
            }
        }
        if (_written == _stdin.Length || (n < 0 && errno != LibC.EAGAIN && errno != LibC.EINTR))
        {
            CloseStdin();
        }
    }

    private void CloseStdin()
    {
        if (_stdinFd >= 0)
        {
            LibC.close(_stdinFd);
            _stdinFd = -1;
        }
    }

    private int Wait()
    {
        int status;
        while (PosixSpawn.WaitPid(_pid, &status, 0) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw new IOException($"waitpid: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
        // WIFEXITED: low 7 bits zero, code in the next byte; else killed by the signal in those bits.
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
