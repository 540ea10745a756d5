namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// A resource request path: /api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]] or
/// /apis/GROUP/VERSION/[namespaces/NS/]PLURAL[/NAME[/SUB]], also under the legacy /watch/ prefix.
/// </summary>
public sealed record ApiPath(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource, bool LegacyWatch)
{
    /// <summary>Null when the path names no resource (discovery or an unknown path).</summary>
    public static ApiPath? Parse(string path)
    {
        var parts = path.Trim('/').Split('/');
        string group;
        string version;
        int at;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, at) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, at) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }
        var rest = parts[at..];
        var legacyWatch = false;
        if (rest.Length > 1 && rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            return rest.Length > 5
                ? null
                : new ApiPath(group, version, rest[1], rest[2], rest.Length > 3 ? rest[3] : null, rest.Length > 4 ? rest[4] : null, legacyWatch);
        }
        return rest.Length > 3
            ? null
            : new ApiPath(group, version, null, rest[0], rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null, legacyWatch);
    }
}
