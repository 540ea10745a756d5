using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>`routednet-node cleanup --cluster` (the uninstall hook): a bad flag or kubeconfig is one line and exit 2, before any API call; the node's settings are not asked for.</summary>
public sealed class ClusterCleanupCommandTests
{
    [Theory]
    [InlineData(new[] { "--cluster", "--bogus" }, "Unrecognized command or argument '--bogus'.")]
    [InlineData(new[] { "--cluster", "--kubeconfig", "/nonexistent/kubeconfig" }, "kubeconfig \"/nonexistent/kubeconfig\" (from --kubeconfig): no such file")]
    public async Task ClusterCleanup_BadConfiguration_Exit2OneLineNoNodeNameAsked(string[] args, string message)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CleanupCommand.RunAsync(args, _ => null, output, error);

        Assert.Equal(2, code);
        Assert.Equal($"routednet-node cleanup --cluster: invalid configuration: {message}\n", error.ToString());
        Assert.Equal("", output.ToString());
    }
}
