using System.Threading.Channels;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Workloads;

/// <summary>
/// Follows the CNI plugin's attachment records (issue 13 item 2): the agent must know every pod
/// the plugin wired on this node, with or without a datastore, or it takes the pod's route for a
/// stray one and deletes it once the new interface's grace period is over. inotify (through
/// <see cref="FileSystemWatcher"/>) makes a new record known within milliseconds of the plugin's
/// ADD, long before that grace period ends; a full reread every resync interval covers lost
/// events. Records whose veth no longer exists (the pod's namespace went away without a DEL) are
/// left out: their route went with the veth, and nothing is left to route to.
/// </summary>
public sealed class LocalAttachmentWatcher
{
    private readonly string _dataDir;
    private readonly TimeSpan _rescan;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlySet<string>> _listLinks;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public LocalAttachmentWatcher(string dataDir, TimeSpan rescan, TimeProvider time, Func<IReadOnlySet<string>>? listLinks = null)
    {
        _dataDir = dataDir;
        _rescan = rescan;
        _time = time;
        _listLinks = listLinks ?? ListLinks;
    }

    /// <summary>How often a records directory that does not exist yet is looked for: well inside the grace period a new veth's route gets.</summary>
    public static readonly TimeSpan MissingDirectoryPoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Publishes the records now and after every change until <paramref name="stoppingToken"/>;
    /// <paramref name="failed"/> hears of a directory that cannot be read or watched (the agent
    /// then rereads it every second). A directory that does not exist yet (no pod
    /// wired on this node so far) is not made here: it is looked for every second and watched once
    /// the plugin has made it.
    /// </summary>
    public async Task RunAsync(Action<IReadOnlyList<LocalAttachment>> publish, Action<string> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentNullException.ThrowIfNull(failed);
        FileSystemWatcher? watcher = null;
        var watchFailed = false;
        string? published = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                _wake.Reader.TryRead(out _);
                var exists = Directory.Exists(_dataDir);
                if (!exists && watcher is not null)
                {
                    watcher.Dispose();
                    watcher = null;
                }
                if (exists && watcher is null && !watchFailed)
                {
                    watcher = Watch(failed);
                    watchFailed = watcher is null;
                }
                try
                {
                    var current = Read();
                    var key = string.Join('\n', current.Select(a => a.Key));
                    if (key != published)
                    {
                        publish(current);
                        published = key;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetlinkException)
                {
                    failed($"{_dataDir}: {e.Message}");
                    // Nothing is published until it can be read: pod routes are not swept on a guess.
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(watcher is null && _rescan > MissingDirectoryPoll ? MissingDirectoryPoll : _rescan, _time, wait.Token);
                var woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
                await Task.WhenAny(delay, woken).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    /// <summary>The records whose veth exists now.</summary>
    public IReadOnlyList<LocalAttachment> Read()
    {
        var records = AttachmentRecordReader.ReadAll(_dataDir);
        if (records.Count == 0)
        {
            return records;
        }
        var links = _listLinks();
        return records.Where(r => links.Contains(r.HostInterface)).ToList();
    }

    private FileSystemWatcher? Watch(Action<string> failed)
    {
        try
        {
            var watcher = new FileSystemWatcher(_dataDir)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite,
            };
            watcher.Created += (_, _) => Wake();
            watcher.Deleted += (_, _) => Wake();
            watcher.Renamed += (_, _) => Wake();
            watcher.Changed += (_, _) => Wake();
            watcher.Error += (_, _) => Wake();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            failed($"{_dataDir}: cannot watch the CNI plugin's attachment records ({e.Message}); rereading them every second");
            return null;
        }
    }

    private void Wake() => _wake.Writer.TryWrite(true);

    private static HashSet<string> ListLinks()
    {
        using var handle = NetlinkHandle.Open();
        return handle.ListLinks().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
    }
}
