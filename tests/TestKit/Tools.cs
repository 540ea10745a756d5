namespace RoutedNet.Tests.TestKit;

/// <summary>
/// Real peers come from Debian packages that ./test.sh installs. When one is missing the test fails
/// with the command that installs it — a skipped interop test would hide exactly what CI must prove.
/// </summary>
public static class Tools
{
    /// <summary>Returns <paramref name="path"/> or throws naming the package to install.</summary>
    public static string Require(string path, string debianPackage)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: install it with `apt-get install -y {debianPackage}` (./test.sh does this)");
        }
        return path;
    }
}
