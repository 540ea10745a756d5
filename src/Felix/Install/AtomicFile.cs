using System.Globalization;

namespace RoutedNet.Felix.Install;

/// <summary>
/// Replaces a file whole: the bytes go to a dot-named temp file in the same directory, are synced
/// to disk, get their mode, and only then take the name by rename(2). A reader (kubelet loading
/// the conflist, a runtime exec'ing the plugin) sees the old file or the new one, never a part;
/// a process still running the old binary keeps its inode. A power loss leaves the old file or
/// the new one, and at worst a stray temp file, which the next write's rename does not touch.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> with <paramref name="mode"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var temporary = TemporaryFor(path);
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            Publish(temporary, path, mode);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> with <paramref name="mode"/>.</summary>
    public static void Copy(string source, string path, UnixFileMode mode)
    {
        var temporary = TemporaryFor(path);
        try
        {
            using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16))
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                from.CopyTo(file);
                file.Flush(flushToDisk: true);
            }
            Publish(temporary, path, mode);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Whether both files hold the same bytes (false when either is missing).</summary>
    public static bool SameContent(string a, string b)
    {
        if (!File.Exists(a) || !File.Exists(b) || new FileInfo(a).Length != new FileInfo(b).Length)
        {
            return false;
        }
        using var x = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        using var y = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var left = new byte[1 << 16];
        var right = new byte[1 << 16];
        while (true)
        {
            var n = x.ReadAtLeast(left, left.Length, throwOnEndOfStream: false);
            var m = y.ReadAtLeast(right, right.Length, throwOnEndOfStream: false);
            if (n != m || !left.AsSpan(0, n).SequenceEqual(right.AsSpan(0, m)))
            {
                return false;
            }
            if (n == 0)
            {
                return true;
            }
        }
    }

    private static void Publish(string temporary, string path, UnixFileMode mode)
    {
        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }

    // Dot-named so that a runtime listing the directory (libcni loads *.conflist) never picks it up.
    private static string TemporaryFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "/", $".{Path.GetFileName(path)}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp");
}
