using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>A subcommand's --help describes that subcommand and shows how to call it, not the agent's help.</summary>
public sealed class SubcommandHelpTests
{
    [Fact]
    public void InstallCni_Help_UsageNamesTheSubcommand()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, InstallCniCommand.Run(["--help"], _ => null, output, error));

        Assert.Contains("routednet-node install-cni [options]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--cni-bin-dir", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
    }

    [Theory]
    [InlineData(new[] { "--help" }, "--node-name")]
    [InlineData(new[] { "--cluster", "--help" }, "--kubeconfig")]
    public async Task Cleanup_Help_DescribesCleanupNotTheAgent(string[] args, string option)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await CleanupCommand.RunAsync(args, _ => null, output, error));

        var help = output.ToString();
        Assert.Contains("routednet-node cleanup [options]", help, StringComparison.Ordinal);
        Assert.Contains(option, help, StringComparison.Ordinal);
        Assert.DoesNotContain("the RoutedNet node agent", help, StringComparison.Ordinal);
        Assert.Equal("", error.ToString());
    }
}
