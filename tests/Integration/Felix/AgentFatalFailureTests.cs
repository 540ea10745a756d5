using System.Globalization;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>
/// A failure the agent cannot heal by waiting ends it with exit code 1 and one line on stderr (no
/// stack trace), so that systemd or a DaemonSet restarts it and the operator reads why. Before, BGP's
/// port taken or gobgpd away stopped the host and exited 0 (a supervisor reads that as a deliberate
/// stop), and a taken health port or an unwritable socket directory ended in a stack trace.
/// </summary>
public sealed class AgentFatalFailureTests
{
    private const string NodeIp = "172.18.0.2";

    [Fact]
    public async Task Agent_BgpPortTaken_ExitsWithCode1AndOneLine()
    {
        using var ns = NetNs.Create("rnfaults");
        using var holder = await HoldPortAsync(ns, 179);

        var result = await RunAgentAsync(ns, []);

        AssertOneLineFailure(result, "cannot listen on port 179");
    }

    [Fact]
    public async Task Agent_GoBgpdUnreachableAtStart_ExitsWithCode1AndOneLine()
    {
        using var ns = NetNs.Create("rnfaults");

        // Nothing listens on port 1 of the namespace's loopback: gobgpd is not there.
        var result = await RunAgentAsync(ns, ["--bgp-backend", "gobgp", "--gobgp-api", "127.0.0.1:1"]);

        AssertOneLineFailure(result, "gobgpd at 127.0.0.1:1 did not answer");
    }

    [Fact]
    public async Task Agent_HealthPortTaken_ExitsWithCode1AndOneLine()
    {
        using var ns = NetNs.Create("rnfaults");
        using var holder = await HoldPortAsync(ns, 9099);

        var result = await RunAgentAsync(ns, ["--health-port", "9099"]);

        AssertOneLineFailure(result, "9099");
    }

    [Fact]
    public async Task Agent_ApiSocketDirectoryNotWritable_ExitsWithCode1AndOneLine()
    {
        using var ns = NetNs.Create("rnfaults");
        var locked = Directory.CreateTempSubdirectory("rnt-faults-ro-").FullName;
        // Root writes anywhere, except into an immutable directory.
        Proc.Check("chattr", "+i", locked);
        try
        {
            var result = await RunAgentAsync(ns, [], apiSocket: Path.Combine(locked, "node.sock"));

            AssertOneLineFailure(result, locked);
        }
        finally
        {
            Proc.Run("chattr", "-i", locked);
            Directory.Delete(locked, recursive: true);
        }
    }

    private static async Task<ProcessResult> RunAgentAsync(NetNs ns, string[] extra, string? apiSocket = null)
    {
        var dir = Directory.CreateTempSubdirectory("rnt-faults-").FullName;
        try
        {
            ns.Check("ip", "link", "set", "lo", "up");
            string[] args =
            [
                "netns", "exec", ns.Name, RepoPaths.Binary("routednet-node"),
                "--datastore", $"sqlite://{Path.Combine(dir, "store.db")}", "--node-name", "n1", "--node-ip", NodeIp,
                "--api-socket", apiSocket ?? Path.Combine(dir, "node.sock"), .. (extra.Contains("--health-port") ? extra : [.. extra, "--health-port", "0"]),
            ];
            return await Proc.RunAsync("ip", args, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            ScratchDirectory.Remove(dir);
        }
    }

    private static void AssertOneLineFailure(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}, stderr: {result.Stderr}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("routednet-node: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A listener on <paramref name="port"/> (all IPv4 addresses) inside the namespace, until disposed.</summary>
    private static async Task<Daemon> HoldPortAsync(NetNs ns, int port)
    {
        var script = $"import socket,time\ns=socket.socket()\ns.bind(('0.0.0.0',{port.ToString(CultureInfo.InvariantCulture)}))\ns.listen()\ntime.sleep(600)";
        var holder = Daemon.Start("python3", ["-c", script], ns);
        await Eventually.Until(
            () => ns.Exec("ss", "-Hltn", $"sport = :{port.ToString(CultureInfo.InvariantCulture)}").Stdout.Contains(':', StringComparison.Ordinal),
            $"a listener on port {port}");
        return holder;
    }
}
