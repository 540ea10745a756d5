using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Felix;

/// <summary>Bad configuration stops the agent at once with exit code 2 and one line saying what to fix.</summary>
public sealed class AgentStartupTests
{
    [Theory]
    [InlineData("--node-name", "Not_Valid", "--node-name")]
    [InlineData("--datastore", "mysql://db", "--datastore")]
    [InlineData("--health-port", "http", "--health-port")]
    public async Task Agent_BadFlag_ExitsWithCode2NamingTheFlag(string flag, string value, string named)
    {
        string[] args = flag == "--node-name" ? [flag, value] : ["--node-name", "n1", "--node-ip", "172.18.0.2", flag, value];

        var result = await Proc.RunAsync(RepoPaths.Binary("routednet-node"), args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"invalid configuration: {named}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_SecondAgentOnSameSocket_Refused()
    {
        await using var first = await NodeAgentScope.StartAsync();
        var socket = Path.Combine(Path.GetDirectoryName(first.Agent.LogPath)!, "node.sock");

        var result = await Proc.RunAsync(
            "ip", ["netns", "exec", first.Ns.Name, RepoPaths.Binary("routednet-node"), "--node-name", "n2", "--node-ip", "172.18.0.3",
            "--datastore", $"sqlite://{Path.GetDirectoryName(socket)}/store.db", "--api-socket", socket, "--health-port", "0"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("another agent is serving", result.Stderr, StringComparison.Ordinal);
    }
}
