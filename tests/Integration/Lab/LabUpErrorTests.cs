using System.Security.Cryptography;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Integration.Lab;

/// <summary>
/// `lab up` failing part-way tells the user why in one `routednetctl: ...` line and a non-zero exit
/// (not a stack trace): here every node's agent dies at start with a fatal error of its own, the
/// case that came out as an unhandled AggregateException when the nodes were awaited in parallel.
/// </summary>
public sealed class LabUpErrorTests : IDisposable
{
    private const string Fatal = "fatal: --datastore: cannot open the store (test)";
    private readonly string _prefix = "rnlab-t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    private readonly string _labDir = Directory.CreateTempSubdirectory("rnt-lab-").FullName;
    private readonly string _binDir = Directory.CreateTempSubdirectory("rnt-labbin-").FullName;
    private readonly string _ctl = RepoPaths.Binary("routednetctl");

    [Fact]
    public void LabUp_AgentExitsAtStart_OneErrorLineNamingItsFatalError()
    {
        Tools.Require("/usr/sbin/ip", "iproute2");
        // The real CNI binaries, and an agent that fails at start the way routednet-node does on bad config.
        foreach (var binary in (string[])["routednet", "routednet-ipam"])
        {
            File.CreateSymbolicLink(Path.Combine(_binDir, binary), RepoPaths.Binary(binary));
        }
        var agent = Path.Combine(_binDir, "routednet-node");
        File.WriteAllText(agent, $"#!/bin/sh\necho '{Fatal}' >&2\nexit 2\n");
        Proc.Check("chmod", "0755", agent);

        var up = Lab(new Dictionary<string, string?> { ["ROUTEDNET_BIN_DIR"] = _binDir }, "up", "--nodes", "2", "--pods-per-node", "0", "--prefix", _prefix);

        Assert.NotEqual(0, up.ExitCode);
        var line = Assert.Single(up.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: routednet-node on node", line, StringComparison.Ordinal);
        Assert.Contains("exited: " + Fatal, line, StringComparison.Ordinal);
        Lab(null, "down").EnsureSuccess();
        Assert.DoesNotContain(Directory.EnumerateFiles("/run/netns"), n => Path.GetFileName(n).StartsWith(_prefix, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Lab(null, "down");
        foreach (var dir in (string[])[_labDir, _binDir])
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private ProcessResult Lab(IReadOnlyDictionary<string, string?>? env, params string[] args) =>
        Proc.RunAsync(_ctl, ["lab", .. args, "--lab-dir", _labDir], env: env, timeout: TimeSpan.FromSeconds(120)).GetAwaiter().GetResult();
}
