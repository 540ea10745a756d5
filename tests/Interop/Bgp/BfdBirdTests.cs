using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using RoutedNet.BgpSpeaker.Bfd;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Our BFD (src/BgpSpeaker/Bfd) against BIRD 2's, single hop over a veth between two namespaces:
/// both sessions come Up at 100 ms × 3; BIRD frozen (SIGSTOP) is detected by us as Control
/// Detection Time Expired, and the session comes back when it runs again; the link cut is
/// detected by BIRD too; our planned removal reaches BIRD as AdministrativelyDown.
/// </summary>
public sealed class BfdBirdTests(ITestOutputHelper output) : IDisposable
{
    private static readonly IPAddress Ours = IPAddress.Parse("10.77.0.1");
    private static readonly IPAddress Theirs = IPAddress.Parse("10.77.0.2");
    private static readonly BfdTimers Fast = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), 3);

    private readonly NetNs _node = NetNs.Create("rnbfd");
    private readonly NetNs _tor = NetNs.Create("rnbfd");

    private static string Config => $$"""
        router id {{Theirs}};
        log "@DIR@/bird.log" all;
        protocol device { scan time 1; }
        protocol bfd {
          interface "*" { interval 100 ms; multiplier 3; };
          neighbor {{Ours}};
        }

        """;

    public void Dispose()
    {
        _node.Dispose();
        _tor.Dispose();
    }

    private static string SessionLine(BirdPeer bird) => bird.BfdSessionLine(Ours.ToString());

    [Fact]
    public async Task Bird_SessionUp_FreezeDetectedByUs_LinkCutDetectedByBird_RemovalIsAdminDown()
    {
        _node.Link("tor0", _tor, "node0", $"{Ours}/24", $"{Theirs}/24");
        using var bird = BirdPeer.Start(_tor, Config);
        using var bfd = new BfdService(open => NetworkNamespace.Run(_node.Path, open));
        var transitions = new ConcurrentQueue<(TimeSpan At, BfdTransition Transition)>();
        var clock = Stopwatch.StartNew();
        bfd.Add(new BfdPeer(Theirs, Ours, Fast), t => transitions.Enqueue((clock.Elapsed, t)));

        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Up && SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "both BFD sessions Up");
        var up = bfd.Sessions().Single();
        Assert.Equal(BfdState.Up, up.RemoteState);
        Assert.Equal(TimeSpan.FromMilliseconds(300), up.DetectionTime);

        // BIRD hung: we stop hearing it and declare the path down after 3 × 100 ms.
        transitions.Clear();
        var frozenAt = clock.Elapsed;
        bird.Freeze();
        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Down, "our session to detect the frozen BIRD");
        var detected = Assert.Single(transitions);
        Assert.Equal(new BfdTransition(BfdState.Up, BfdState.Down, BfdDiagnostic.ControlDetectionTimeExpired), detected.Transition);
        Assert.True(detected.Transition.IsFailure);
        output.WriteLine($"BIRD frozen -> our session Down: {(detected.At - frozenAt).TotalMilliseconds:F0} ms (detection time 300 ms)");
        bird.Thaw();
        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Up && SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "both sessions Up again once BIRD runs");

        // The link cut: BIRD stops hearing us and takes its session down.
        _node.Check("ip", "link", "set", "tor0", "down");
        await Eventually.Until(() => !SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "BIRD to detect the cut link");
        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Down, "our session to detect the cut link");
        _node.Check("ip", "link", "set", "tor0", "up");
        await Eventually.Until(() => bfd.Sessions().Single().State == BfdState.Up && SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "both sessions Up again over the restored link");

        // Everything BIRD sent was a packet our parser and sessions took.
        Assert.Equal(0, bfd.Discarded);

        // A planned removal: BIRD hears AdministrativelyDown, not a failure of the path.
        bfd.Remove(Theirs);
        await Eventually.Until(() => !SessionLine(bird).Contains(" Up ", StringComparison.Ordinal), "BIRD to take the session down on our AdminDown");
        output.WriteLine(bird.Cli("show bfd sessions"));
    }
}
