using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RoutedNet.Netlink;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Interop.Lab;

/// <summary>
/// Network policy on the lab, end to end with the real agents: the conformance suite
/// (`routednetctl lab netpol`, every case of tests/netpol/cases.yaml, zero wrong cells), and the
/// pod-start race: pods added into a default-deny-all namespace whose very first packet is sent the
/// moment `add-pod` returns must never get it through (lab notes netpol §6: isolated "from the very
/// first instant"; the CNI ADD waits for the node's agent to program the pod).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class LabNetpolTests(PolicyLabFixture lab, ITestOutputHelper output) : IClassFixture<PolicyLabFixture>
{
    private const int RacePods = 200;
    private const int ListenerPort = 9000;

    [Fact]
    public async Task Netpol_EveryCase_ZeroWrongCells()
    {
        var clock = Stopwatch.StartNew();
        var run = await LabCli.RunAsync("lab", "netpol", "--lab-dir", lab.Cli.LabDir);
        output.WriteLine(run.Stdout);
        output.WriteLine($"lab netpol: exit {run.ExitCode} in {clock.Elapsed.TotalSeconds:0} s");

        Assert.True(run.ExitCode == 0, $"lab netpol exit {run.ExitCode}: {run.Stderr}\n{Summary(run.Stdout)}");
        Assert.Matches(@"\n(\d+)/\1 cases passed, 0 wrong cells", run.Stdout);
    }

    [Fact]
    public async Task AddPod_IntoDefaultDenyAllNamespace_FirstDatagramNeverDelivered()
    {
        var listener = await AddPodAsync("node1", "race-listen", "listener");
        var deny = Path.Combine(lab.Cli.LabDir, "race-deny.yaml");
        await File.WriteAllTextAsync(deny, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: race}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            """);
        (await LabCli.RunAsync("--datastore", $"sqlite://{lab.Cli.LabDir}/store.db", "apply", "-f", deny)).EnsureSuccess();
        using var socket = NetworkNamespace.Run(listener.NamespacePath, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, ListenerPort));
            return s;
        });
        var received = new List<IPAddress>();
        using var stop = new CancellationTokenSource();
        var receiving = ReceiveAsync(socket, received, stop.Token);

        // The control: a pod of a namespace without policy, sending the same way, arrives.
        var free = await AddPodAsync("node2", "race-free", "free");
        // Sent again until one lands: the nodes may still be learning the new pods' routes.
        await Eventually.Until(() =>
        {
            Send(free, listener);
            return Contains(received, free.Ip);
        }, $"a datagram of {free.Name} (no policy) at the listener");

        var clock = Stopwatch.StartNew();
        var racers = new List<LabPod>();
        for (var i = 0; i < RacePods; i++)
        {
            var pod = await AddPodAsync($"node{(i % 3) + 1}", "race", $"r{i}");
            // The pod's first packet, the moment its CNI ADD has returned.
            Send(pod, listener);
            racers.Add(pod);
        }
        output.WriteLine($"{RacePods} pods added and sent from in {clock.Elapsed.TotalSeconds:0.0} s");
        // What is on its way still lands: one more datagram from the control pod marks the end.
        var before = Count(received, free.Ip);
        await Eventually.Until(() =>
        {
            Send(free, listener);
            return Count(received, free.Ip) > before;
        }, "the control pod's last datagram");
        await stop.CancelAsync();
        await receiving;

        var leaked = racers.Where(r => Contains(received, r.Ip)).Select(r => $"{r.Name} ({r.Ip})").ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} of {RacePods} pods in the default-deny-all namespace got their first datagram through: {string.Join(", ", leaked.Take(20))}");
    }

    private async Task<LabPod> AddPodAsync(string node, string ns, string name)
    {
        using var document = JsonDocument.Parse(await lab.Cli.LabAsync("add-pod", node, "--pod-namespace", ns, "--pod-name", name, "-o", "json"));
        return LabPod.Parse(document.RootElement);
    }

    private static void Send(LabPod from, LabPod to)
    {
        using var sender = NetworkNamespace.Run(from.NamespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        sender.SendTo(Encoding.ASCII.GetBytes($"first packet of {from.Name}"), new IPEndPoint(to.Ip, ListenerPort));
    }

    private static async Task ReceiveAsync(Socket socket, List<IPAddress> received, CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                lock (received)
                {
                    received.Add(((IPEndPoint)result.RemoteEndPoint).Address);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static bool Contains(List<IPAddress> received, IPAddress address) => Count(received, address) > 0;

    private static int Count(List<IPAddress> received, IPAddress address)
    {
        lock (received)
        {
            return received.Count(a => a.Equals(address));
        }
    }

    private static string Summary(string stdout)
    {
        var at = stdout.LastIndexOf("Summary per case:", StringComparison.Ordinal);
        return at < 0 ? stdout[^Math.Min(stdout.Length, 4000)..] : stdout[at..];
    }
}
