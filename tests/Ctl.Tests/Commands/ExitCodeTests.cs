namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>
/// The exit codes every command shares (README "Exit codes"): 0 fine, 1 a problem found or a
/// refusal, 2 usage or configuration, 3 datastore or agent unreachable; always one stderr line.
/// </summary>
public class ExitCodeTests
{
    private static void AssertOneErrorLine((int Exit, string Stdout, string Stderr) result, int exit, string contains)
    {
        Assert.True(result.Exit == exit, $"exit {result.Exit}, want {exit}: {result.Stderr}");
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(contains, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ipam", "show", "--no-such-flag")]
    [InlineData("no-such-command")]
    [InlineData("routes", "-o", "xml")]
    [InlineData("ipam", "release")]
    public async Task CommandLine_DoesNotParse_Exit2OneLine(params string[] args)
    {
        await using var ctl = new CtlProcess();

        var result = await ctl.RunAsync(args);

        AssertOneErrorLine(result, 2, "--help");
    }

    [Fact]
    public async Task Get_UnknownKind_Exit2()
    {
        await using var ctl = new CtlProcess();

        AssertOneErrorLine(await ctl.RunAsync("get", "ippoolz"), 2, "unknown kind \"ippoolz\"");
    }

    [Fact]
    public async Task Apply_FileMissing_Exit2()
    {
        await using var ctl = new CtlProcess();

        AssertOneErrorLine(await ctl.RunAsync("apply", "-f", "/nonexistent/r.yaml"), 2, "does not exist");
    }

    [Fact]
    public async Task Get_MissingObject_Exit1()
    {
        await using var ctl = new CtlProcess();

        AssertOneErrorLine(await ctl.RunAsync("get", "ippool", "nope"), 1, "not found");
    }

    [Fact]
    public async Task Get_BadDatastoreUrl_Exit2()
    {
        AssertOneErrorLine(await CtlProcess.RunWithAsync("--datastore", "mysql://db", "get", "ippools"), 2, "bad datastore URL");
    }

    [Fact]
    public async Task Get_EtcdNotListening_Exit3()
    {
        AssertOneErrorLine(await CtlProcess.RunWithAsync("--datastore", "etcd://127.0.0.1:1", "get", "ippools"), 3, "cannot reach the datastore");
    }

    [Theory]
    [InlineData("node", "status")]
    [InlineData("bgp", "peers")]
    [InlineData("bgp", "rib")]
    [InlineData("bgp", "advertised")]
    [InlineData("routes")]
    public async Task AgentCommands_NoSocket_Exit3(params string[] args)
    {
        var result = await CtlProcess.RunWithAsync([.. args, "--node-socket", "/nonexistent/routednet-node.sock"]);

        AssertOneErrorLine(result, 3, "no such socket");
    }

    [Fact]
    public async Task Help_ListsTheExitCodes()
    {
        var help = await CtlProcess.RunWithAsync("--help");

        Assert.Equal(0, help.Exit);
        Assert.Contains("2 usage or configuration error; 3 datastore or node agent unreachable", help.Stdout, StringComparison.Ordinal);
    }
}
