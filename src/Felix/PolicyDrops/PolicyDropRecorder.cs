using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Reconcilers.Policy;
using RoutedNet.Netlink.Netfilter;

namespace RoutedNet.Felix.PolicyDrops;

/// <summary>
/// Reads the packets policy drop rules log (NFLOG group <see cref="Group"/>, rate-limited in the
/// rules), attributes each to its rule and pod, counts them per (namespace, direction, reason) for
/// /metrics, keeps the last <see cref="Capacity"/> for `policy drops`, and streams new ones to
/// `policy drops --follow`. One reader thread: the socket blocks in poll, never the thread pool.
/// </summary>
public sealed class PolicyDropRecorder : IDisposable
{
    /// <summary>The NFLOG group drop rules log to (DESIGN.md Contracts).</summary>
    public const ushort Group = 7;

    public const int Capacity = 1000;

    private const int PollMilliseconds = 250;

    private readonly Func<IDropSource> _open;
    private readonly IDropAttribution _attribution;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Queue<PolicyDrop> _recent = new();
    private readonly Dictionary<(string Namespace, DropDirection Direction, DropReason Reason), long> _counts = [];
    private readonly List<Channel<PolicyDrop>> _followers = [];
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public PolicyDropRecorder(Func<IDropSource> open, IDropAttribution attribution, ILogger logger, TimeProvider time)
    {
        _open = open;
        _attribution = attribution;
        _logger = logger;
        _time = time;
    }

    /// <summary>Starts reading; a group another program holds is logged once and leaves drops unreported, never enforcement.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "policy-drops" };
        _thread.Start();
    }

    /// <summary>The latest drops, oldest first.</summary>
    public IReadOnlyList<PolicyDrop> Recent()
    {
        lock (_lock)
        {
            return [.. _recent];
        }
    }

    public IReadOnlyDictionary<(string Namespace, DropDirection Direction, DropReason Reason), long> Counts()
    {
        lock (_lock)
        {
            return new Dictionary<(string, DropDirection, DropReason), long>(_counts);
        }
    }

    /// <summary>Drops from now on, until <paramref name="cancellationToken"/>; a follower that cannot keep up loses the oldest.</summary>
    public async IAsyncEnumerable<PolicyDrop> FollowAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<PolicyDrop>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _followers.Add(channel);
        }
        try
        {
            await foreach (var drop in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return drop;
            }
        }
        finally
        {
            lock (_lock)
            {
                _followers.Remove(channel);
            }
        }
    }

    /// <summary>Attributes and records one logged packet; packets other rules logged (not our prefix) are ignored.</summary>
    internal void Record(NfLogPacket packet)
    {
        if (!DropLogPrefix.TryParse(packet.Prefix, out var direction, out var reason, out var id))
        {
            return;
        }
        var drop = new PolicyDrop
        {
            Time = packet.Timestamp ?? _time.GetUtcNow(),
            Direction = direction,
            Reason = reason,
            Id = id,
            Policy = reason switch
            {
                DropReason.Rule => _attribution.DescribeRule(id) ?? $"rule {id}",
                DropReason.EndOfTier => $"tier {id}: selected, no rule decided",
                DropReason.Revoked => PolicyTable.RevokedComment,
                _ => "interface not programmed",
            },
            Endpoint = packet.Packet is { } p ? _attribution.EndpointOf(direction, p) : null,
            Packet = packet.Packet,
        };
        var ns = drop.Endpoint is { } endpoint && endpoint.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? endpoint[..slash] : "";
        lock (_lock)
        {
            _counts[(ns, direction, reason)] = _counts.GetValueOrDefault((ns, direction, reason)) + 1;
            _recent.Enqueue(drop);
            while (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }
            foreach (var follower in _followers)
            {
                follower.Writer.TryWrite(drop);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }

    private void Run()
    {
        IDropSource source;
        try
        {
            source = _open();
        }
        catch (Exception e) when (e is Netlink.NetlinkException)
        {
            _logger.LogWarning("policy drops are not reported: {Reason}", e.Message);
            return;
        }
        using (source)
        {
            var packets = new List<NfLogPacket>();
            while (!_stop.IsCancellationRequested)
            {
                packets.Clear();
                try
                {
                    source.TryRead(PollMilliseconds, packets);
                }
                catch (Netlink.NetlinkException e)
                {
                    // ENOBUFS: the kernel dropped log messages for us; the counters undercount, say so and go on.
                    _logger.LogWarning("policy drop log: {Reason}", e.Message);
                    continue;
                }
                foreach (var packet in packets)
                {
                    Record(packet);
                }
            }
        }
    }
}
