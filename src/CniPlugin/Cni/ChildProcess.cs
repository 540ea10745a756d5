using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// Runs a program to completion on the calling thread: posix_spawn with stdin and stdout on pipes
/// (stderr shared with ours), the whole of stdin written and stdout read with poll, then waitpid.
/// System.Diagnostics.Process would start a signal-handling thread and SIGCHLD machinery for this
/// one child, and on a busy node every thread hand-off waits for a time slice (docs/BENCHMARKS.md).
/// </summary>
internal static unsafe class ChildProcess
{
    /// <summary>The result of a finished run: exit code (128 + signal if killed by one) and all of stdout.</summary>
    public readonly record struct Outcome(int ExitCode, byte[] Stdout);

    /// <summary>
    /// Runs <paramref name="path"/> with argv[0] = path and exactly <paramref name="environment"/>.
    /// Throws <see cref="TimeoutException"/> (after killing the child) when it has not closed its
    /// stdout by <paramref name="timeout"/>, and <see cref="IOException"/> when it cannot be started.
    /// </summary>
    public static Outcome Run(string path, IEnumerable<string> environment, ReadOnlySpan<byte> stdin, TimeSpan timeout)
    {
        var stdinPipe = Pipe();
        int[] stdoutPipe;
        try
        {
            stdoutPipe = Pipe();
        }
        catch
        {
            CloseAll(stdinPipe);
            throw;
        }
        int pid;
        try
        {
            pid = Spawn(path, environment, stdinPipe[0], stdoutPipe[1]);
        }
        finally
        {
            // The child has its own copies (or never started); ours of its ends must go so that
            // its exit is our EOF.
            LibC.close(stdinPipe[0]);
            LibC.close(stdoutPipe[1]);
        }
        byte[] stdout;
        try
        {
            stdout = Converse(stdinPipe[1], stdoutPipe[0], stdin, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
            _ = PosixSpawn.Kill(pid, PosixSpawn.SIGKILL);
            _ = Wait(pid);
            throw;
        }
        finally
        {
            LibC.close(stdoutPipe[0]);
        }
        return new Outcome(Wait(pid), stdout);
    }

    private static int[] Pipe()
    {
        var fds = new int[2];
        fixed (int* p = fds)
        {
            if (LibC.pipe2(p, LibC.O_CLOEXEC) != 0)
            {
                throw new IOException($"pipe2: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
        }
        return fds;
    }

    private static void CloseAll(int[] fds)
    {
        foreach (var fd in fds)
        {
            LibC.close(fd);
        }
    }

    private static int Spawn(string path, IEnumerable<string> environment, int childStdin, int childStdout)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path + "\0");
        var (envBlock, envOffsets) = NulTerminated(environment);
        var envp = new nint[envOffsets.Length + 1];
        var fileActions = stackalloc byte[PosixSpawn.FileActionsSize];
        var attributes = stackalloc byte[PosixSpawn.AttributesSize];
        var defaultSignals = stackalloc byte[PosixSpawn.SigsetSize];
        var noSignals = stackalloc byte[PosixSpawn.SigsetSize];
        new Span<byte>(defaultSignals, PosixSpawn.SigsetSize).Clear();
        new Span<byte>(noSignals, PosixSpawn.SigsetSize).Clear();
        // The runtime ignores SIGPIPE and an ignored signal stays ignored across exec: give the
        // child the default back, as Process did. The mask is emptied for the same reason.
        defaultSignals[(PosixSpawn.SIGPIPE - 1) / 8] |= (byte)(1 << ((PosixSpawn.SIGPIPE - 1) % 8));
        PosixSpawn.FileActionsInit(fileActions);
        PosixSpawn.AttributesInit(attributes);
        try
        {
            // dup2 onto 0 and 1 clears close-on-exec there; every other pipe end is O_CLOEXEC.
            Check(PosixSpawn.FileActionsAddDup2(fileActions, childStdin, 0), "posix_spawn_file_actions_adddup2");
            Check(PosixSpawn.FileActionsAddDup2(fileActions, childStdout, 1), "posix_spawn_file_actions_adddup2");
            Check(PosixSpawn.AttributesSetSignalDefaults(attributes, defaultSignals), "posix_spawnattr_setsigdefault");
            Check(PosixSpawn.AttributesSetSignalMask(attributes, noSignals), "posix_spawnattr_setsigmask");
            Check(PosixSpawn.AttributesSetFlags(attributes, PosixSpawn.SetSignalDefaults | PosixSpawn.SetSignalMask), "posix_spawnattr_setflags");
            fixed (byte* pathPointer = pathBytes)
            fixed (byte* envBase = envBlock)
            fixed (nint* envPointers = envp)
            {
                for (var i = 0; i < envOffsets.Length; i++)
                {
                    envPointers[i] = (nint)(envBase + envOffsets[i]);
                }
                envPointers[envOffsets.Length] = 0;
                var argv = stackalloc byte*[2];
                argv[0] = pathPointer;
                argv[1] = null;
                int pid;
                var error = PosixSpawn.Spawn(&pid, pathPointer, fileActions, attributes, argv, (byte**)envPointers);
                if (error != 0)
                {
                    throw new IOException(Marshal.GetPInvokeErrorMessage(error));
                }
                return pid;
            }
        }
        finally
        {
            PosixSpawn.AttributesDestroy(attributes);
            PosixSpawn.FileActionsDestroy(fileActions);
        }
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    // All strings in one buffer, each UTF-8 and NUL-terminated, with where each starts.
    private static (byte[] Block, int[] Offsets) NulTerminated(IEnumerable<string> strings)
    {
        var list = strings as IReadOnlyList<string> ?? [.. strings];
        var offsets = new int[list.Count];
        var length = 0;
        for (var i = 0; i < list.Count; i++)
        {
            offsets[i] = length;
            length += Encoding.UTF8.GetByteCount(list[i]) + 1;
        }
        var block = new byte[length];
        for (var i = 0; i < list.Count; i++)
        {
            Encoding.UTF8.GetBytes(list[i], block.AsSpan(offsets[i]));
        }
        return (block, offsets);
    }

    // Writes stdin and reads stdout together (poll on both), so that neither a large config nor a
    // chatty child can deadlock us; stdin is closed once written, as a plugin reads to EOF.
    // Owns (closes) stdinFd.
    private static byte[] Converse(int stdinFd, int stdoutFd, ReadOnlySpan<byte> stdin, long deadline)
    {
        var writeFd = stdinFd;
        try
        {
            return Converse(ref writeFd, stdoutFd, stdin, deadline);
        }
        finally
        {
            if (writeFd >= 0)
            {
                LibC.close(writeFd);
            }
        }
    }

    private static byte[] Converse(ref int writeFd, int stdoutFd, ReadOnlySpan<byte> stdin, long deadline)
    {
        if (LibC.fcntl(writeFd, LibC.F_SETFL, LibC.O_NONBLOCK) != 0)
        {
            throw new IOException($"fcntl: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        var written = 0;
        if (stdin.IsEmpty)
        {
            LibC.close(writeFd);
            writeFd = -1;
        }
        using var output = new MemoryStream();
        var buffer = stackalloc byte[4096];
        var fds = stackalloc pollfd[2];
        while (true)
        {
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException();
            }
            fds[0] = new pollfd { fd = stdoutFd, events = LibC.POLLIN };
            fds[1] = new pollfd { fd = writeFd, events = LibC.POLLOUT };
            var ready = LibC.poll(fds, (ulong_t)(writeFd >= 0 ? 2UL : 1UL), (int)Math.Min(remaining, int.MaxValue));
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            if (writeFd >= 0 && fds[1].revents != 0)
            {
                fixed (byte* data = stdin)
                {
                    var n = (long)LibC.write(writeFd, data + written, stdin.Length - written);
                    var errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                    if (n > 0)
                    {
                        written += (int)n;
                    }
                    // EPIPE: the child exited without reading its config; its exit code and
                    // output say why. Either way it gets EOF once we stop writing.
                    if (written == stdin.Length || (n < 0 && errno != LibC.EAGAIN && errno != LibC.EINTR))
                    {
                        LibC.close(writeFd);
                        writeFd = -1;
                    }
                }
            }
            if (fds[0].revents != 0)
            {
                var n = (long)LibC.read(stdoutFd, buffer, 4096);
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

    private static int Wait(int pid)
    {
        int status;
        while (PosixSpawn.WaitPid(pid, &status, 0) < 0)
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
