using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// Runs a program: posix_spawn with stdin and stdout on pipes (stderr shared with ours), the whole
/// of stdin written and stdout read with poll, then waitpid (<see cref="RunningChild"/>).
/// System.Diagnostics.Process would start a signal-handling thread and SIGCHLD machinery for this
/// one child, and on a busy node every thread hand-off waits for a time slice (docs/BENCHMARKS.md).
/// </summary>
internal static unsafe class ChildProcess
{
    /// <summary>The result of a finished run: exit code (128 + signal if killed by one) and all of stdout.</summary>
    public readonly record struct Outcome(int ExitCode, byte[] Stdout);

    /// <summary>
    /// Starts <paramref name="path"/> with argv[0] = path and exactly <paramref name="environment"/>,
    /// and hands it as much of stdin as the pipe takes (a whole CNI config), so that it runs while
    /// the caller does other work; <see cref="RunningChild.Finish"/> must follow, and throws
    /// <see cref="TimeoutException"/> (after killing the child) when it has not closed its stdout by
    /// <paramref name="timeout"/>. Throws <see cref="IOException"/> when it cannot be started.
    /// </summary>
    public static RunningChild Start(string path, IEnumerable<string> environment, byte[] stdin, TimeSpan timeout)
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
        catch
        {
            LibC.close(stdinPipe[1]);
            LibC.close(stdoutPipe[0]);
            throw;
        }
        finally
        {
            // The child has its own copies (or never started); ours of its ends must go so that
            // its exit is our EOF.
            LibC.close(stdinPipe[0]);
            LibC.close(stdoutPipe[1]);
        }
        return new RunningChild(pid, stdinPipe[1], stdoutPipe[0], stdin, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
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
}
