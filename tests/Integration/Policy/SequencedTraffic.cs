using System.Globalization;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Policy;

/// <summary>
/// Steady traffic on several <see cref="SequencedFlow"/>s at once: one thread sends datagram n on
/// every flow, then n + 1 on every flow about a millisecond later, and so on until stopped. A test
/// reads <see cref="Next"/> at the moments that matter (after the agent reported a revision
/// enforced, before it writes a change) and later asks each flow which numbers between two such
/// marks arrived. Control flows (allowed all along) tell when the rest has drained: they are sent
/// after the others in every round, so once a control flow's last datagram is in, every datagram
/// that was going to arrive has.
/// </summary>
internal sealed class SequencedTraffic : IDisposable
{
    private readonly IReadOnlyList<SequencedFlow> _flows;
    private readonly Thread _thread;
    private long _next;
    private long _end = -1;
    private volatile bool _stopping;

    private SequencedTraffic(IReadOnlyList<SequencedFlow> flows)
    {
        _flows = flows;
        _thread = new Thread(Run) { IsBackground = true, Name = "sequenced traffic" };
        _thread.Start();
    }

    /// <summary>The number the next round of datagrams will carry: everything from here on is sent after this moment.</summary>
    public long Next => Interlocked.Read(ref _next);

    /// <summary>Starts sending on <paramref name="flows"/> (list control flows last).</summary>
    public static SequencedTraffic Start(params SequencedFlow[] flows) => new(flows);

    /// <summary>Returns once <paramref name="rounds"/> more rounds have been sent (a count of datagrams, not a time).</summary>
    public Task SendMoreAsync(long rounds)
    {
        var until = Next + rounds;
        return Eventually.Until(() => Next >= until, string.Create(CultureInfo.InvariantCulture, $"{rounds} more rounds of datagrams to be sent (at {Next})"));
    }

    /// <summary>Stops sending; returns the end (exclusive) of the numbers sent.</summary>
    public long Stop()
    {
        _stopping = true;
        _thread.Join();
        _end = Next;
        return _end;
    }

    /// <summary>
    /// Waits until <paramref name="flow"/> received every datagram numbered [<paramref name="from"/>, end),
    /// or until the bound passed; returns the numbers still missing then.
    /// </summary>
    public async Task<List<long>> DrainAsync(SequencedFlow flow, long from)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (_end < 0)
        {
            throw new InvalidOperationException("Stop the traffic first");
        }
        try
        {
            await Eventually.Until(() => flow.MissingIn(from, _end).Count == 0, $"flow {flow.Name} to drain", TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Lost for good: the caller reports how many.
        }
        return flow.MissingIn(from, _end);
    }

    private void Run()
    {
        while (!_stopping)
        {
            var sequence = Interlocked.Read(ref _next);
            foreach (var flow in _flows)
            {
                flow.Send(sequence);
            }
            Interlocked.Increment(ref _next);
            // Pace, not synchronisation: about a thousand rounds a second.
            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        if (!_stopping)
        {
            Stop();
        }
    }
}
