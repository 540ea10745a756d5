using System.Net;
using RoutedNet.BgpSpeaker.Bfd;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Our multihop BFD (RFC 5883: UDP 4784, TTL checked against a configured minimum rather than 255)
/// against BIRD 2's `multihop` sessions, with a router namespace between the two. BIRD sends
/// multihop packets with the system's default TTL, 64, so they arrive with 63: with a minimum of 63
/// (one router allowed) both sessions come Up at 100 ms × 3 and BIRD frozen is detected; with 64
/// (none allowed) BIRD's packets are dropped by our socket's filter and our session never comes
/// Up, although BIRD hears us.
/// </summary>
public sealed class BfdMultihopBirdTests : IDisposable
{
    private static readonly IPAddress Ours = IPAddress.Parse("10.78.1.1");
    private static readonly IPAddress Theirs = IPAddress.Parse("10.78.2.1");
    private static readonly BfdTimers Fast = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), 3);

    private readonly NetNs _node = NetNs.Create("rnbfm");
    private readonly NetNs _router = NetNs.Create("rnbfm");
    private readonly NetNs _tor = NetNs.Create("rnbfm");

    private readonly ITestOutputHelper _output;

    public BfdMultihopBirdTests(ITestOutputHelper output)
    {
        _output = output;
        _node.Link("r0", _router, "n0", $"{Ours}/24", "10.78.1.2/24");
        _router.Link("t0", _tor, "r0", "10.78.2.2/24", $"{Theirs}/24");
        _router.Check("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        _node.Check("ip", "route", "add", "10.78.2.0/24", "via", "10.78.1.2");
        _tor.Check("ip", "route", "add", "10.78.1.0/24", "via", "10.78.2.2");
    }

    private static string Config => $$"""
        router id {{Theirs}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 1; }
        protocol bfd {
          multihop { interval 100 ms; multiplier 3; };
          neighbor {{Ours}} local {{Theirs}} multihop;
        }

        """;

    public void Dispose()
    {
        _node.Dispose();
        _router.Dispose();
        _tor.Dispose();
    }

    private static string SessionLine(BirdPeer bird) => bird.BfdSessionLine(Ours.ToString());

    [Fact]
    public async Task BirdMultihop_OneRouterBetween_UpWithMinimumTtl63_FreezeDetected()
    {
        using var bird = BirdPeer.Start(_tor, Config);
        using var bfd = new BfdService(open => NetworkNamespace.Run(_node.Path, open));
        bfd.Add(new BfdPeer(Theirs, Ours, Fast, Multihop: true, MinimumTtl: 63), _ => { });

        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Up && SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "both multihop sessions Up across the router");
        var up = bfd.Sessions().Single();
        Assert.True(up.Multihop);
        Assert.Equal(TimeSpan.FromMilliseconds(300), up.DetectionTime);

        bird.Freeze();
        try
        {
            await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Down, "our session to detect the frozen BIRD");
            Assert.Equal(BfdDiagnostic.ControlDetectionTimeExpired, bfd.Sessions().Single().LastDownDiagnostic);
        }
        finally
        {
            bird.Thaw();
        }
        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Up && SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "both sessions Up again once BIRD runs");
        Assert.Equal(0, bfd.Discarded);
        _output.WriteLine(bird.Cli("show bfd sessions"));
    }

    [Fact]
    public async Task BirdMultihop_OneRouterBetween_MinimumTtl64_BirdsPacketsDroppedNeverUp()
    {
        using var bird = BirdPeer.Start(_tor, Config);
        using var bfd = new BfdService(open => NetworkNamespace.Run(_node.Path, open));
        bfd.Add(new BfdPeer(Theirs, Ours, Fast, Multihop: true, MinimumTtl: 64), _ => { });

        // BIRD hears our Down and answers Init; that answer (TTL 63 here) never reaches our session.
        await Eventually.Until(() => SessionLine(bird).Contains(" Init ", StringComparison.Ordinal), "BIRD to hear our session");
        // Three of BIRD's slow (1 s) packets: any that got through would have moved us to Up.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var status = bfd.Sessions().Single();
        Assert.Equal((BfdState.Down, 0u), (status.State, status.RemoteDiscriminator));
        Assert.Equal(0, status.Ups);
    }
}
