using System.Globalization;
using System.Text;

namespace RoutedNet.Ipam.PendingReleases;

/// <summary>
/// The node's queue of CNI DELs that the agent has yet to carry out (Cilium's deletion queue): a
/// directory, by default <c>.pending-release</c> in the CNI plugin's dataDir (a name no CNI network
/// can have, so the agent's reader of attachment records never mistakes it for a network). The
/// plugin adds entries under a shared flock of <c>.lock</c>, each written to a temporary file,
/// synced, then renamed: a reader sees a whole entry or none. The agent lists them under the
/// exclusive lock, so every entry whose DEL returned before the listing began is in it; it then
/// carries each out and removes it. At <see cref="Capacity"/> entries a new one is refused: a node
/// whose agent stays away that long needs an operator, not a growing directory.
/// </summary>
public sealed class PendingReleaseQueue
{
    public const string DirectoryName = ".pending-release";
    public const string Extension = ".release";
    public const string CorruptExtension = ".corrupt";
    public const int DefaultCapacity = 1024;
    private const string LockName = ".lock";

    public PendingReleaseQueue(string directory, int capacity = DefaultCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Directory = directory;
        Capacity = capacity;
    }

    /// <summary>The queue of the CNI plugin whose dataDir (and the agent whose --cni-data-dir) is <paramref name="cniDataDir"/>.</summary>
    public static PendingReleaseQueue ForDataDir(string cniDataDir, int capacity = DefaultCapacity) =>
        new(Path.Combine(cniDataDir, DirectoryName), capacity);

    public string Directory { get; }

    public int Capacity { get; }

    private string LockPath => Path.Combine(Directory, LockName);

    /// <summary>Where the entry for <paramref name="handleId"/> lives (whether or not it exists).</summary>
    public string PathFor(string handleId) => Path.Combine(Directory, PendingRelease.FileNameFor(handleId));

    /// <summary>
    /// Adds the entry, or replaces the one of the same handle (a repeated DEL). Throws
    /// <see cref="PendingReleaseQueueFullException"/> when <see cref="Capacity"/> entries wait already.
    /// </summary>
    public void Enqueue(PendingRelease entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var text = Encoding.UTF8.GetBytes(entry.Format());
        if (!OperatingSystem.IsWindows())
        {
            // Root's alone, like the plugin's other state.
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        using var shared = FileLock.Shared(LockPath);
        var path = PathFor(entry.HandleId);
        // Concurrent writers may each pass this check: the cap can be passed by as many as write at once.
        if (!File.Exists(path) && Count() >= Capacity)
        {
            throw new PendingReleaseQueueFullException(
                $"{Directory} already holds {Capacity.ToString(CultureInfo.InvariantCulture)} releases waiting for the node agent");
        }
        // A dot name: neither an entry nor counted while it is being written.
        var temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(text);
                // On disk before it has a name: after a power loss the entry is whole or absent.
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>How many entries wait.</summary>
    public int Count() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Count() : 0;

    /// <summary>
    /// The entries waiting now, oldest first, listed under the exclusive lock: a plugin that was
    /// writing one when the listing began has finished, so its entry is in the list.
    /// </summary>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        using var exclusive = FileLock.Exclusive(LockPath);
        return System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(path => (Path: path, Time: File.GetLastWriteTimeUtc(path)))
            .OrderBy(e => e.Time)
            .ThenBy(e => e.Path, StringComparer.Ordinal)
            .Select(e => e.Path)
            .ToList();
    }

    /// <summary>
    /// The entry at <paramref name="path"/>; null when it is gone (carried out meanwhile) or
    /// unreadable. An unreadable entry is renamed to *.corrupt (kept for the operator, never read
    /// again, not counted) and <paramref name="corrupt"/> is told why; it never stops the others.
    /// </summary>
    public PendingRelease? Read(string path, Action<string, string> corrupt)
    {
        ArgumentNullException.ThrowIfNull(corrupt);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (DecoderFallbackException e)
        {
            SetAside(path, $"not text: {e.Message}", corrupt);
            return null;
        }
        var entry = PendingRelease.TryParse(text, out var problem);
        if (entry is null)
        {
            SetAside(path, problem, corrupt);
            return null;
        }
        if (PendingRelease.FileNameFor(entry.HandleId) != Path.GetFileName(path))
        {
            SetAside(path, $"its name is not that of handle {entry.HandleId}", corrupt);
            return null;
        }
        return entry;
    }

    /// <summary>Removes the entry once carried out (nothing when it is already gone).</summary>
    public static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // No queue on this node yet: nothing to remove.
        }
    }

    private static void SetAside(string path, string problem, Action<string, string> corrupt)
    {
        corrupt(path, problem);
        try
        {
            File.Move(path, path + CorruptExtension, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            // Replaced or removed meanwhile: nothing left to set aside.
        }
    }
}
