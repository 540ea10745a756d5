namespace RoutedNet.CniPlugin.Cni;

/// <summary>The spec versions this binary speaks, and what each version changes in the protocol.</summary>
internal static class CniVersions
{
    public const string Latest = "1.1.0";

    public static IReadOnlyList<string> Supported { get; } = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static bool IsSupported(string version) => Supported.Contains(version, StringComparer.Ordinal);

    /// <summary>Spec 0.4.0 introduced CHECK.</summary>
    public static bool AllowsCheck(string version) => Compare(version, "0.4.0") >= 0;

    /// <summary>Spec 1.1.0 introduced STATUS and GC, and route/interface fields (mtu, table, scope, ...).</summary>
    public static bool HasVersion11Features(string version) => Compare(version, "1.1.0") >= 0;

    /// <summary>Before 1.0.0 every ips[] entry carried "version": "4" or "6".</summary>
    public static bool HasIpVersionField(string version) => Compare(version, "1.0.0") < 0;

    /// <summary>Orders dotted versions numerically ("0.10.0" &gt; "0.4.0").</summary>
    public static int Compare(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length && int.TryParse(x[i], out var xp) ? xp : 0;
            var q = i < y.Length && int.TryParse(y[i], out var yq) ? yq : 0;
            if (p != q)
            {
                return p.CompareTo(q);
            }
        }
        return 0;
    }

    public static CniException Unsupported(string version) =>
        new(CniErrorCode.IncompatibleVersion, $"incompatible CNI versions: config is \"{version}\", plugin supports [{string.Join(", ", Supported.Select(v => $"\"{v}\""))}]");
}
