using System.Runtime.InteropServices;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// The libc process calls that Tmds.LibC 0.5 does not bind: posix_spawn and its attribute and
/// file-action helpers, waitpid, kill. glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK) + exec:
/// no page-table copy of our process and exec failures come back as its return value.
/// </summary>
internal static unsafe partial class PosixSpawn
{
    // glibc x86_64/arm64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336; opaque
    // buffers with room to spare keep us independent of the exact layout.
    public const int FileActionsSize = 128;
    public const int AttributesSize = 512;

    // sigset_t as glibc lays it out: 1024 bits.
    public const int SigsetSize = 128;

    public const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    public const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    public const int SIGPIPE = 13;
    public const int SIGKILL = 9;

    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "posix_spawn")]
    public static partial int Spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* fileActions);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Libc, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_init")]
    public static partial int AttributesInit(void* attributes);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int AttributesSetFlags(void* attributes, short flags);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int AttributesSetSignalDefaults(void* attributes, void* signals);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int AttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport(Libc, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int AttributesDestroy(void* attributes);

    [LibraryImport(Libc, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Libc, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
