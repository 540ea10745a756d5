using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Integration.Lab;

/// <summary>
/// `routednetctl lab` through the published binary, as ./lab.sh runs it: a 2-node lab comes up with
/// pods reaching each other, `status -o json` keeps its contract, and `down` leaves nothing behind.
/// Its own namespace prefix and state directory, so it never meets a lab someone else runs.
/// </summary>
public sealed class LabSmokeTests : IDisposable
{
    private readonly string _prefix = "rnlab-t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly string _labDir = Directory.CreateTempSubdirectory("rnt-lab-").FullName;
    private readonly string _ctl = RepoPaths.Binary("routednetctl");

    [Fact]
    public void Lab_TwoNodesOnePodEach_UpStatusPingDown_LeavesNothing()
    {
        Tools.Require("/usr/sbin/ip", "iproute2");

        var up = Lab("up", "--nodes", "2", "--pods-per-node", "1", "--prefix", _prefix);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("2/2 pod pairs reach each other with their own addresses", up.Stdout, StringComparison.Ordinal);

        var status = Lab("status", "-o", "json").EnsureSuccess();
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal(["nodes", "pods"], Keys(json.RootElement));
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        var pods = json.RootElement.GetProperty("pods").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.Equal(2, pods.Count);
        var pids = new List<int>();
        foreach (var node in nodes)
        {
            Assert.Equal(["name", "namespace", "address", "agentPid", "apiSocket"], Keys(node));
            Assert.StartsWith(_prefix + "-", node.GetProperty("namespace").GetString(), StringComparison.Ordinal);
            Assert.True(File.Exists("/run/netns/" + node.GetProperty("namespace").GetString()));
            Assert.True(File.Exists(node.GetProperty("apiSocket").GetString()), "the agent's API socket exists");
            pids.Add(node.GetProperty("agentPid").GetInt32());
        }
        Assert.All(pids, pid => Assert.True(IsAlive(pid), $"agent pid {pid} runs"));
        foreach (var pod in pods)
        {
            Assert.Equal(["name", "node", "namespace", "addresses", "podNamespace", "podName", "labels", "ports"], Keys(pod));
            // A pod added without --pod-namespace/--pod-name is "lab/<its lab name>" to policy.
            Assert.Equal(("lab", pod.GetProperty("name").GetString()), (pod.GetProperty("podNamespace").GetString(), pod.GetProperty("podName").GetString()));
            Assert.Contains(pod.GetProperty("node").GetString(), nodes.Select(n => n.GetProperty("name").GetString()));
            var address = Assert.Single(pod.GetProperty("addresses").EnumerateArray()).GetString()!;
            Assert.StartsWith("10.244.", address, StringComparison.Ordinal);
        }
        Assert.NotEqual(pods[0].GetProperty("addresses")[0].GetString(), pods[1].GetProperty("addresses")[0].GetString());

        var ping = Lab("ping");
        Assert.True(ping.ExitCode == 0, ping.ToString());

        Lab("down").EnsureSuccess();
        Assert.Empty(OurNamespaces());
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"agent pid {pid} stopped"));
        Assert.False(Directory.Exists(_labDir), "the lab directory is removed");
        // Idempotent: a second down finds nothing and succeeds.
        Lab("down").EnsureSuccess();
    }

    public void Dispose()
    {
        // A failed test still removes its lab (down is idempotent), then anything left of the temp dir.
        Lab("down");
        if (Directory.Exists(_labDir))
        {
            Directory.Delete(_labDir, recursive: true);
        }
    }

    private ProcessResult Lab(params string[] args) =>
        Proc.RunAsync(_ctl, ["lab", .. args, "--lab-dir", _labDir], timeout: TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private List<string> OurNamespaces() =>
        [.. Directory.EnumerateFiles("/run/netns").Select(Path.GetFileName).Where(n => n!.StartsWith(_prefix, StringComparison.Ordinal)).Select(n => n!)];

    /// <summary>Running (a zombie left for a non-reaping init counts as stopped).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
    }
}
