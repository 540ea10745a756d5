namespace RoutedNet.Tests.TestKit;

/// <summary>Where the checkout and the published binaries (out/bin, from ./build.sh) are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>out/bin, or $RNT_OUT_BIN (binaries published elsewhere, e.g. from one engineer's own tree).</summary>
    public static string OutBin => Environment.GetEnvironmentVariable("RNT_OUT_BIN") ?? Path.Combine(Root, "out", "bin");

    /// <summary>The published binary <paramref name="name"/> (e.g. "routednet"), or a clear failure.</summary>
    public static string Binary(string name)
    {
        var path = Path.Combine(OutBin, name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run ./build.sh first");
        }
        return path;
    }

    // Test assemblies run from bin/ (or .slots/<slot>/bin/) inside the checkout: walk up to it.
    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoutedNet.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no RoutedNet.sln above {AppContext.BaseDirectory}");
    }
}
