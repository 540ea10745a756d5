using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RoutedNet.BgpSpeaker;
using RoutedNet.BgpSpeaker.Config;
using RoutedNet.BgpSpeaker.Fsm;
using RoutedNet.BgpSpeaker.Transport;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Our speaker, running in the test process but with every socket opened inside the test's
/// namespace (a socket belongs to the namespace of the thread that created it). Records the
/// best-route changes it streams, as the node agent would receive them.
/// </summary>
public sealed class SpeakerUnderTest : IAsyncDisposable
{
    private readonly Task _drain;

    public BgpSpeaker.BgpSpeaker Speaker { get; }

    /// <summary>The kernel view the node agent would build from the change stream: prefix → next hops.</summary>
    public ConcurrentDictionary<IPNetwork, IReadOnlyList<IPAddress>> Installed { get; } = new();

    private SpeakerUnderTest(BgpSpeaker.BgpSpeaker speaker)
    {
        Speaker = speaker;
        _drain = Task.Run(async () =>
        {
            await foreach (var changes in speaker.BestRouteChanges.ReadAllAsync())
            {
                foreach (var change in changes)
                {
                    if (change.Kind == RouteChangeKind.Withdraw)
                    {
                        Installed.TryRemove(change.Prefix.ToIPNetwork(), out _);
                    }
                    else
                    {
                        Installed[change.Prefix.ToIPNetwork()] = change.NextHops;
                    }
                }
            }
        });
    }

    public static async Task<SpeakerUnderTest> StartAsync(NetNs ns, BgpGlobalOptions options)
    {
        var transport = new TcpTransport(family => NetworkNamespace.Run(ns.Path, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp)));
        var speaker = new BgpSpeaker.BgpSpeaker(options, TestLog.Factory, TimeProvider.System, transport);
        await speaker.StartAsync();
        return new SpeakerUnderTest(speaker);
    }

    public async Task<PeerStatus> PeerAsync(string address) =>
        (await Speaker.GetPeersAsync()).Single(p => p.Address.Equals(IPAddress.Parse(address)));

    public async Task WaitEstablishedAsync(string address, TimeSpan? timeout = null) =>
        await Eventually.Until(async () => (await PeerAsync(address)).State == SessionState.Established, $"our session to {address} Established", timeout);

    public async Task<RibEntry?> RouteAsync(string prefix) =>
        (await Speaker.GetRoutesAsync()).SingleOrDefault(r => r.Prefix.Equals(IPNetwork.Parse(prefix)));

    public async ValueTask DisposeAsync()
    {
        await Speaker.DisposeAsync();
        await _drain;
    }
}
