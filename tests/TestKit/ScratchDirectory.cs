namespace RoutedNet.Tests.TestKit;

/// <summary>
/// A test daemon's private directory (config, control socket, logs): removed with the daemon, unless
/// RNT_KEEP_LOGS is set, so that a failed run can still be read (as <see cref="Daemon"/> keeps its log).
/// </summary>
public static class ScratchDirectory
{
    public static void Remove(string path)
    {
        if (Environment.GetEnvironmentVariable("RNT_KEEP_LOGS") is null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
