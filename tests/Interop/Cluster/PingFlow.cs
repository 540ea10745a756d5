using System.Globalization;
using System.Text.RegularExpressions;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Cluster;

/// <summary>
/// `ping -i 0.1` (10 packets a second) from a pod's namespace to another pod's address until
/// stopped. Each reply is logged with its sequence number and time (-D), so a lost packet is a
/// sequence number below the last answered one that never got its reply, with the time it was
/// due; the few packets still in flight when the flow is stopped are not counted as lost.
/// </summary>
public sealed partial class PingFlow : IDisposable
{
    private readonly Daemon _daemon;

    public string Label { get; }

    private PingFlow(Daemon daemon, string label)
    {
        _daemon = daemon;
        Label = label;
    }

    public static PingFlow Start(string label, string podNetns, string target, string logDir) =>
        new(
            Daemon.Start("ip", ["netns", "exec", podNetns, "ping", "-n", "-D", "-i", "0.1", target], logPath: Path.Combine(logDir, $"ping-{label}.log")),
            label);

    /// <summary>Stops the flow; returns how many were answered and the sequence numbers lost.</summary>
    public (int Answered, IReadOnlyList<int> Lost) Stop()
    {
        _daemon.Signal(2);
        _daemon.WaitForExit(TimeSpan.FromSeconds(10));
        var answered = Reply().Matches(_daemon.Log()).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToHashSet();
        if (answered.Count == 0)
        {
            throw new InvalidOperationException($"ping {Label} got no reply at all: {_daemon.Log()}");
        }
        var lost = Enumerable.Range(1, answered.Max()).Where(seq => !answered.Contains(seq)).ToList();
        return (answered.Count, lost);
    }

    [GeneratedRegex(@"icmp_seq=(\d+) ttl=")]
    private static partial Regex Reply();

    public void Dispose() => _daemon.Dispose();
}
