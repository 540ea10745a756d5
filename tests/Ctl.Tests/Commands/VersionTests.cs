using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RoutedNet.Ctl.Tests.Commands;

/// <summary>`routednetctl --version` is the release in Directory.Build.props plus the commit, not the SDK's 1.0.0.</summary>
public class VersionTests
{
    [Fact]
    public async Task Version_ReleaseFromBuildPropsPlusCommit()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Directory.Build.props")) || !File.Exists(Path.Combine(root.FullName, "RoutedNet.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("no checkout above the tests");
        }
        var release = XDocument.Load(Path.Combine(root.FullName, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

        var version = await CtlProcess.RunWithAsync("--version");

        Assert.Equal(0, version.Exit);
        Assert.Matches("^" + Regex.Escape(release) + @"(\+[0-9a-f]{7,40})?\n$", version.Stdout);
    }
}
