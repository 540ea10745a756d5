using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace RoutedNet.RrClients;

/// <summary>
/// All simulated clients and what they measured together: when the last one was Established and
/// had the full table, and for each test change when every other client had it.
/// </summary>
internal sealed class Fleet
{
    private readonly SimulatedClient[] _clients;
    private readonly long[][] _changeSeen;
    private readonly int[] _announcePending;
    private readonly int[] _withdrawPending;
    private readonly TaskCompletionSource _allEstablished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allFull = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _established;
    private int _full;
    private int _slowConnects;
    private int _failures;
    private int _openTimeouts;
    private int _setupFailures;

    public Fleet(FleetOptions options)
    {
        Options = options;
        _clients = [.. Enumerable.Range(0, options.Clients).Select(i => new SimulatedClient(i, this))];
        _changeSeen = [.. Enumerable.Range(0, options.Changes).Select(_ => new long[options.Clients])];
        _announcePending = new int[options.Changes];
        _withdrawPending = new int[options.Changes];
    }

    public FleetOptions Options { get; }

    public int Clients => Options.Clients;

    public int Changes => Options.Changes;

    public uint Asn => Options.Asn;

    public ushort HoldTime => Options.HoldTime;

    public IPEndPoint Reflector => Options.Reflector;

    public void CountSlowConnect() => Interlocked.Increment(ref _slowConnects);

    public void CountOpenTimeout() => Interlocked.Increment(ref _openTimeouts);

    /// <summary>A connection that failed before Established (refused, reset, closed by the reflector): the client tries again.</summary>
    public void CountSetupFailure(int index, string why)
    {
        if (Interlocked.Increment(ref _setupFailures) <= 5)
        {
            Console.Error.WriteLine($"client {index}: setup failed: {why}");
        }
    }

    /// <summary>An Established session that ended: a failure of the run.</summary>
    public void CountDrop(int index, string why)
    {
        if (Interlocked.Increment(ref _failures) <= 5)
        {
            Console.Error.WriteLine($"client {index}: Established session ended: {why}");
        }
    }

    public void OnEstablished()
    {
        if (Interlocked.Increment(ref _established) == Clients)
        {
            _allEstablished.TrySetResult();
        }
    }

    public void OnFull()
    {
        if (Interlocked.Increment(ref _full) == Clients)
        {
            _allFull.TrySetResult();
        }
    }

    public void OnChange(int change, int client, bool announced)
    {
        if (announced)
        {
            if (Interlocked.CompareExchange(ref _changeSeen[change][client], Stopwatch.GetTimestamp(), 0) == 0)
            {
                Interlocked.Decrement(ref _announcePending[change]);
            }
        }
        else if (Interlocked.Exchange(ref _changeSeen[change][client], -1) > 0)
        {
            Interlocked.Decrement(ref _withdrawPending[change]);
        }
    }

    public async Task<int> RunAsync()
    {
        using var stop = new CancellationTokenSource();
        var t0 = Stopwatch.GetTimestamp();
        var sessions = await ConnectAsync(stop.Token).ConfigureAwait(false);
        using var keepalives = new Timer(_ => SendKeepalives(), null, TimeSpan.FromSeconds(Options.HoldTime / 3.0), TimeSpan.FromSeconds(Options.HoldTime / 3.0));
        var deadline = Task.Delay(Options.Timeout);
        if (await Task.WhenAny(_allEstablished.Task, deadline).ConfigureAwait(false) != _allEstablished.Task)
        {
            Report($"FAILED established={_established}/{Clients} after {Options.Timeout.TotalSeconds} s (slow_connects={_slowConnects} open_timeouts={_openTimeouts})");
            return 1;
        }
        var established = _clients.Max(c => c.EstablishedAt);
        Report($"established clients={Clients} s={Seconds(t0, established)} slow_connects={_slowConnects} open_timeouts={_openTimeouts} setup_failures={_setupFailures} drops={_failures}");
        if (await Task.WhenAny(_allFull.Task, deadline).ConfigureAwait(false) != _allFull.Task)
        {
            Report($"FAILED full={_full}/{Clients} after {Options.Timeout.TotalSeconds} s");
            return 1;
        }
        var full = _clients.Max(c => c.FullAt);
        Report($"full clients={Clients} s={Seconds(t0, full)} after_established_s={Seconds(established, full)}");
        if (!await MeasureChangesAsync().ConfigureAwait(false))
        {
            return 1;
        }
        Report($"idle seconds={Options.IdleSeconds}");
        await Task.Delay(TimeSpan.FromSeconds(Options.IdleSeconds)).ConfigureAwait(false);
        var failures = _failures;
        Report($"done drops={failures}");
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(sessions).ConfigureAwait(false);   // the sessions' ends from here on are ours, not drops
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Burst: every client at once (a reflector restart). Stagger: Options.StaggerBatch clients every Options.StaggerInterval.</summary>
    private async Task<Task[]> ConnectAsync(CancellationToken stopping)
    {
        var sessions = new Task[Clients];
        for (var i = 0; i < Clients; i++)
        {
            if (Options.StaggerBatch > 0 && i > 0 && i % Options.StaggerBatch == 0)
            {
                await Task.Delay(Options.StaggerInterval, stopping).ConfigureAwait(false);
            }
            var client = _clients[i];
            sessions[i] = Task.Run(() => client.RunAsync(stopping), stopping);
        }
        return sessions;
    }

    private void SendKeepalives()
    {
        foreach (var client in _clients)
        {
            try
            {
                client.SendKeepalive();
            }
            catch (System.Net.Sockets.SocketException)
            {
                // The read loop sees the same failure and reconnects.
            }
        }
    }

    /// <summary>
    /// Change k: one client (a different one each time) announces a /32; the latency of each other
    /// client is from the send to its arrival. Then the /32 is withdrawn again and the next change waits for that.
    /// </summary>
    private async Task<bool> MeasureChangesAsync()
    {
        var latencies = new List<double>(Changes * (Clients - 1));
        var lastArrivals = new List<double>(Changes);
        for (var k = 0; k < Changes; k++)
        {
            var announcer = _clients[(k * 37) % Clients];
            var prefix = Addressing.Change(k);
            _announcePending[k] = Clients - 1;
            _withdrawPending[k] = Clients - 1;
            var sent = Stopwatch.GetTimestamp();
            announcer.Send(BgpWire.Announce(prefix, 32, Addressing.NextHop(announcer.Index)));
            if (!await WaitForAsync(() => Volatile.Read(ref _announcePending[k]) <= 0).ConfigureAwait(false))
            {
                Report($"FAILED change {k}: {_announcePending[k]} clients never got it");
                return false;
            }
            var seen = _changeSeen[k];
            var last = 0.0;
            for (var c = 0; c < Clients; c++)
            {
                if (c != announcer.Index)
                {
                    var ms = Stopwatch.GetElapsedTime(sent, seen[c]).TotalMilliseconds;
                    latencies.Add(ms);
                    last = Math.Max(last, ms);
                }
            }
            lastArrivals.Add(last);
            announcer.Send(BgpWire.Withdraw(prefix, 32));
            if (!await WaitForAsync(() => Volatile.Read(ref _withdrawPending[k]) <= 0).ConfigureAwait(false))
            {
                Report($"FAILED change {k}: {_withdrawPending[k]} clients kept it after the withdrawal");
                return false;
            }
            await Task.Delay(Options.ChangeGap).ConfigureAwait(false);
        }
        latencies.Sort();
        lastArrivals.Sort();
        Report(string.Create(CultureInfo.InvariantCulture,
            $"change changes={Changes} samples={latencies.Count} p50_ms={Quantile(latencies, 0.5):F1} p99_ms={Quantile(latencies, 0.99):F1} max_ms={latencies[^1]:F1} last_median_ms={Quantile(lastArrivals, 0.5):F1} last_max_ms={lastArrivals[^1]:F1}"));
        return true;
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var until = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                return false;
            }
            await Task.Delay(1).ConfigureAwait(false);
        }
        return true;
    }

    private static double Quantile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static string Seconds(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);

    private static void Report(string line)
    {
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        Console.Out.Flush();
    }
}
