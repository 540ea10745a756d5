using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Policy;
using RoutedNet.BgpSpeaker.Wire;
using Speaker = RoutedNet.BgpSpeaker.BgpSpeaker;

namespace RoutedNet.BgpFuzz;

/// <summary>
/// Sends generated messages to a running speaker over a real loopback TCP session and checks how
/// each ends, against what our own decoder says the RFCs require: the expected NOTIFICATION and a
/// closed connection, or a session that stays Established (with treat-as-withdraw prefixes absent
/// from the Loc-RIB). The speaker runs in this process, so its survival and memory are measured here.
/// </summary>
public sealed class SocketFuzzer : IAsyncDisposable
{
    private const uint SpeakerAs = 65000;
    private const uint PeerAs = 65001;
    private static readonly IPAddress SpeakerAddress = IPAddress.Loopback;
    private static readonly IPAddress PeerAddress = IPAddress.Parse("127.0.0.2");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(20);

    private readonly Speaker _speaker;
    private readonly int _port;
    private PeerConnection? _connection;

    private SocketFuzzer(Speaker speaker, int port)
    {
        _speaker = speaker;
        _port = port;
    }

    /// <param name="logger">The speaker's log (e.g. a console logger when chasing a finding); none by default.</param>
    public static async Task<SocketFuzzer> StartAsync(Microsoft.Extensions.Logging.ILoggerFactory? logger = null)
    {
        var port = FreePort();
        var speaker = new Speaker(new BgpGlobalOptions
        {
            LocalAs = SpeakerAs,
            RouterId = IPAddress.Parse("10.255.0.1"),
            ListenPort = port,
            ListenAddresses = [SpeakerAddress],
            GracefulRestart = new GracefulRestartOptions { Enabled = false },
        }, logger);
        await speaker.StartAsync().ConfigureAwait(false);
        await speaker.AddPeerAsync(new BgpPeerOptions
        {
            Address = PeerAddress,
            RemoteAs = PeerAs,
            Passive = true,
            GracefulRestart = false,
            IdleHoldTime = TimeSpan.FromMilliseconds(1),
            Import = ImportPolicy.AcceptAll,
        }).ConfigureAwait(false);
        return new SocketFuzzer(speaker, port);
    }

    /// <summary>Runs <paramref name="cases"/> cases; throws <see cref="FuzzFindingException"/> at the first wrong ending.</summary>
    public async Task<SocketFuzzReport> RunAsync(int seed, long cases, Action<string> log)
    {
        var mutator = new Mutator(seed);
        var report = new SocketFuzzReport();
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < cases; i++)
        {
            _connection ??= await EstablishAsync().ConfigureAwait(false);
            var input = NextSendable(mutator, _connection.Context);
            var expected = Expect(input, _connection.Context);
            var actual = await SendAsync(_connection, input, expected).ConfigureAwait(false);
            if (!expected.Accepts(actual))
            {
                throw new FuzzFindingException($"expected {expected}, the speaker did {actual}", input);
            }
            if (expected.WithdrawnPrefixes.Count > 0)
            {
                await RequireAbsentAsync(expected.WithdrawnPrefixes, input).ConfigureAwait(false);
            }
            report.Count(actual);
            if (actual.Kind != EndingKind.Established)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
            if ((i + 1) % 500 == 0)
            {
                report.SampleMemory();
                log($"  {i + 1:N0} cases, {clock.Elapsed.TotalSeconds:F0} s: {report}");
            }
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        await _speaker.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Only whole single messages, or a bad header alone: a torn frame would merge with the next case, and
    /// bytes the speaker never reads make its close a TCP reset that can destroy the NOTIFICATION in flight.
    /// </summary>
    private static byte[] NextSendable(Mutator mutator, in BgpCodecContext context)
    {
        while (true)
        {
            var input = mutator.Next();
            var status = BgpFrameReader.TryReadFrame(input, context, out var header, out _);
            if (status == FrameStatus.Error)
            {
                return input[..BgpHeader.Size];
            }
            if (status == FrameStatus.Frame && header.Length == input.Length)
            {
                return input;
            }
        }
    }

    /// <summary>What RFC 4271 §6/§8, RFC 6608 and RFC 7606 require of an Established session receiving <paramref name="input"/>.</summary>
    private static Expectation Expect(byte[] input, in BgpCodecContext context)
    {
        if (BgpFrameReader.TryReadFrame(input, context, out var header, out var error) == FrameStatus.Error)
        {
            return Expectation.Notification(error.Code, error.Subcode);
        }
        var body = input.AsSpan(BgpHeader.Size);
        var ok = BgpMessageReader.TryRead(header, body, context, out var message, out error);
        return header.Type switch
        {
            BgpMessageType.Open => Expectation.Notification(NotificationCode.FiniteStateMachineError, (byte)FiniteStateMachineErrorSubcode.UnexpectedMessageInEstablished),
            BgpMessageType.Notification => Expectation.Closed(),
            // RFC 7313 §5 asks for 7/1 only for its own subtypes; a plain request of odd length may be ignored.
            BgpMessageType.RouteRefresh when !ok => Expectation.NotificationOrEstablished(error.Code, error.Subcode),
            _ when !ok => Expectation.Notification(error.Code, error.Subcode),
            BgpMessageType.Update when error.Action == ErrorAction.TreatAsWithdraw && message is UpdateMessage update =>
                Expectation.Established([.. update.Nlri, .. update.MpReach?.Nlri ?? []]),
            _ => Expectation.Established([]),
        };
    }

    /// <summary>
    /// Sends a case and waits for its ending. When the RFCs want the session to end, wait for that (or
    /// time out); when it should survive, it has once the speaker counted the message, its loop ran the
    /// import, and no NOTIFICATION followed within the settle time.
    /// </summary>
    private async Task<Ending> SendAsync(PeerConnection connection, byte[] input, Expectation expected)
    {
        var mayStay = expected.Accepts(new Ending(EndingKind.Established, 0, 0));
        var before = await PeerAsync().ConfigureAwait(false);
        await connection.SendAsync(input).ConfigureAwait(false);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            if (connection.TryTakeEnding(out var ending))
            {
                return ending;
            }
            if (mayStay && (await PeerAsync().ConfigureAwait(false)).MessagesIn >= before.MessagesIn + 1)
            {
                // The session hands UPDATEs to the speaker loop; one more query on that loop runs after the
                // import, and a reset it decided reaches us within the settle time.
                await PeerAsync().ConfigureAwait(false);
                var settle = Stopwatch.StartNew();
                while (settle.Elapsed < SettleTime)
                {
                    if (connection.TryTakeEnding(out ending))
                    {
                        return ending;
                    }
                    await Task.Delay(1).ConfigureAwait(false);
                }
                if ((await PeerAsync().ConfigureAwait(false)).State == SessionState.Established)
                {
                    return new Ending(EndingKind.Established, 0, 0);
                }
                mayStay = false;
            }
            await Task.Delay(1).ConfigureAwait(false);
        }
        throw new FuzzFindingException($"no ending within {Patience.TotalSeconds} s (speaker stuck?)", input);
    }

    private async Task RequireAbsentAsync(IReadOnlyList<BgpPrefix> prefixes, byte[] input)
    {
        var routes = await WithTimeout(_speaker.GetRoutesAsync(), input).ConfigureAwait(false);
        var present = routes.Where(r => !r.IsLocal).Select(r => BgpPrefix.FromIPNetwork(r.Prefix)).ToHashSet();
        var kept = prefixes.Where(present.Contains).ToList();
        if (kept.Count > 0)
        {
            throw new FuzzFindingException($"treat-as-withdraw left {string.Join(", ", kept)} in the Loc-RIB", input);
        }
    }

    private async Task<RoutedNet.BgpSpeaker.PeerStatus> PeerAsync()
    {
        var peers = await WithTimeout(_speaker.GetPeersAsync(), []).ConfigureAwait(false);
        return peers.Single(p => p.Address.Equals(PeerAddress));
    }

    private static async Task<T> WithTimeout<T>(Task<T> task, byte[] input)
    {
        try
        {
            return await task.WaitAsync(Patience).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new FuzzFindingException("the speaker stopped answering its API (loop dead or hung)", input, e);
        }
    }

    private async Task<PeerConnection> EstablishAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var started = DateTimeOffset.UtcNow;
                var connection = await PeerConnection.OpenAsync(new IPEndPoint(PeerAddress, 0), new IPEndPoint(SpeakerAddress, _port), PeerAs).ConfigureAwait(false);
                while (deadline.Elapsed < Patience)
                {
                    // Established must be this connection's session, not the previous one not yet torn down.
                    var status = await PeerAsync().ConfigureAwait(false);
                    if (connection.Confirmed && status.State == SessionState.Established && status.Since >= started)
                    {
                        return connection;
                    }
                    if (connection.TryTakeEnding(out _))
                    {
                        break;
                    }
                    await Task.Delay(1).ConfigureAwait(false);
                }
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidOperationException && deadline.Elapsed < Patience)
            {
                // The speaker is still in its idle hold after the last reset: try again shortly.
            }
            if (deadline.Elapsed >= Patience)
            {
                throw new FuzzFindingException("could not establish a session with the speaker", []);
            }
            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
