using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>`routednet-node cleanup` takes the agent's settings: a bad one is one line and exit 2, before anything is touched.</summary>
public sealed class CleanupCommandTests
{
    [Theory]
    [InlineData(new string[0], "the node name is required: pass --node-name NAME or set NODENAME")]
    [InlineData(new[] { "--node-name", "n1", "--cni-bin-dir", "opt/cni/bin" }, "--cni-bin-dir: 'opt/cni/bin' is not an absolute directory path")]
    public async Task Cleanup_BadConfiguration_Exit2OneLine(string[] args, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CleanupCommand.RunAsync(args, _ => null, output, error);

        Assert.Equal(2, code);
        Assert.Equal($"routednet-node cleanup: invalid configuration: {message}\n", error.ToString());
        Assert.Equal("", output.ToString());
    }
}
