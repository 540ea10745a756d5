using System.Threading.Channels;
using RoutedNet.Netlink;

namespace RoutedNet.Felix.Workloads;

/// <summary>
/// Follows the CNI plugin's attachment records (issue 13 item 2): the agent must know every pod
/// the plugin wired on this node, with or without a datastore, or it takes the pod's route for a
/// stray one and deletes it once the new interface's grace period is over. inotify (through
/// <see cref="FileSystemWatcher"/>) makes a new record known within milliseconds of the plugin's
/// ADD, long before that grace period ends: only the records inotify names are read again (at
/// 100 pods, rereading every record at every ADD and DEL was 9 % of the agent's CPU in
/// bench/cni-latency.sh -A -P 1000); a full reread every resync interval, and after any
/// watcher error, covers lost events. Records whose veth no longer exists (the pod's namespace
/// went away without a DEL) are left out: their route went with the veth, and nothing is left
/// to route to.
/// </summary>
public sealed class LocalAttachmentWatcher
{
    private readonly string _dataDir;
    private readonly TimeSpan _rescan;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlySet<string>> _listLinks;
    private readonly Func<string, bool> _linkExists;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock _pendingLock = new();
    // Paths inotify named since the last pass; null when everything is to be read again.
    private HashSet<string>? _pending;

    /// <param name="listLinks">The interface names of the node (default: netlink); <paramref name="linkExists"/> defaults to a lookup in it when given.</param>
    /// <param name="linkExists">Whether one interface exists (default: one netlink query).</param>
    public LocalAttachmentWatcher(string dataDir, TimeSpan rescan, TimeProvider time, Func<IReadOnlySet<string>>? listLinks = null, Func<string, bool>? linkExists = null)
    {
        _dataDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir));
        _rescan = rescan;
        _time = time;
        _listLinks = listLinks ?? ListLinks;
        _linkExists = linkExists ?? (listLinks is null ? LinkExists : name => listLinks().Contains(name));
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
        // By "NETWORK/VETH", ordinal: the order ReadAll gives.
        SortedDictionary<string, LocalAttachment>? records = null;
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
                    // What was written before the watch began is known only by reading it all.
                    RereadAll();
                }
                var pending = TakePending();
                try
                {
                    if (records is null || pending is null || !Update(records, pending))
                    {
                        var all = new SortedDictionary<string, LocalAttachment>(Read().ToDictionary(KeyOf), StringComparer.Ordinal);
                        var changed = records is null || !SameRecords(records, all);
                        records = all;
                        if (changed)
                        {
                            publish([.. records.Values]);
                        }
                    }
                    else if (pending.Count > 0)
                    {
                        publish([.. records.Values]);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetlinkException)
                {
                    failed($"{_dataDir}: {e.Message}");
                    // Nothing is published until it can be read: pod routes are not swept on a guess.
                    RereadAll();
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(watcher is null && _rescan > MissingDirectoryPoll ? MissingDirectoryPoll : _rescan, _time, wait.Token);
                var woken = _wake.Reader.WaitToReadAsync(wait.Token).AsTask();
                if (await Task.WhenAny(delay, woken).ConfigureAwait(false) == delay)
                {
                    RereadAll();
                }
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

    // Reads again the record paths inotify named. False when one is not a record's path (a
    // network directory made, renamed or deleted): then everything is read again. Changed
    // records are set in `records`; `pending` keeps only the paths whose record changed.
    private bool Update(SortedDictionary<string, LocalAttachment> records, HashSet<string> pending)
    {
        if (pending.Any(p => !string.Equals(Path.GetDirectoryName(Path.GetDirectoryName(p)), _dataDir, StringComparison.Ordinal)))
        {
            return false;
        }
        pending.RemoveWhere(path =>
        {
            var key = Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);
            var record = AttachmentRecordReader.ReadOne(path);
            if (record is null || !_linkExists(record.HostInterface))
            {
                return !records.Remove(key);
            }
            if (records.TryGetValue(key, out var old) && old.Key == record.Key)
            {
                return true;
            }
            records[key] = record;
            return false;
        });
        return true;
    }

    private static string KeyOf(LocalAttachment record) => record.Network + "/" + record.HostInterface;

    private static bool SameRecords(SortedDictionary<string, LocalAttachment> a, SortedDictionary<string, LocalAttachment> b) =>
        a.Count == b.Count && a.All(r => b.TryGetValue(r.Key, out var other) && other.Key == r.Value.Key);

    private HashSet<string>? TakePending()
    {
        lock (_pendingLock)
        {
            var pending = _pending;
            _pending = new HashSet<string>(StringComparer.Ordinal);
            return pending;
        }
    }

    private void RereadAll()
    {
        lock (_pendingLock)
        {
            _pending = null;
        }
    }

    private void Changed(string path)
    {
        lock (_pendingLock)
        {
            _pending?.Add(path);
        }
        _wake.Writer.TryWrite(true);
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
            watcher.Created += (_, e) => Changed(e.FullPath);
            watcher.Deleted += (_, e) => Changed(e.FullPath);
            watcher.Renamed += (_, e) =>
            {
                Changed(e.OldFullPath);
                Changed(e.FullPath);
            };
            watcher.Changed += (_, e) => Changed(e.FullPath);
            // Events were lost (the queue overflowed): only a full read knows what they were.
            watcher.Error += (_, _) =>
            {
                RereadAll();
                _wake.Writer.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            failed($"{_dataDir}: cannot watch the CNI plugin's attachment records ({e.Message}); rereading them every second");
            return null;
        }
    }

    private static HashSet<string> ListLinks()
    {
        using var handle = NetlinkHandle.Open();
        return handle.ListLinks().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static bool LinkExists(string name)
    {
        using var handle = NetlinkHandle.Open();
        return handle.FindLink(name) is not null;
    }
}
