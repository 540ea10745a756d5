using System.Text.RegularExpressions;
using System.Xml.Linq;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Ctl;

/// <summary>
/// `--version` of every published binary is the build's real version: Directory.Build.props'
/// VersionPrefix plus "+COMMIT", the same for all of them (the agent said 1.0.0.0 in every build).
/// </summary>
public sealed class VersionTests
{
    /// <summary>VersionPrefix from Directory.Build.props.</summary>
    public static string Release { get; } =
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    /// <summary>What the build's binaries print, checked to be the release plus an optional commit.</summary>
    public static async Task<string> OfAsync(string binary)
    {
        var result = (await Proc.RunAsync(RepoPaths.Binary(binary), ["--version"])).EnsureSuccess();
        var version = result.Stdout.Trim();
        Assert.Matches("^" + Regex.Escape(Release) + @"(\+[0-9a-f]{7,40})?$", version);
        return version;
    }

    [Fact]
    public async Task Version_EveryBinary_ReleasePlusCommitTheSameForAll()
    {
        var ctl = await OfAsync("routednetctl");

        Assert.Equal(ctl, await OfAsync("routednet-node"));
        Assert.Equal(ctl, await OfAsync("routednet"));
        Assert.Equal(ctl, await OfAsync("routednet-ipam"));
    }
}
