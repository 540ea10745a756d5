namespace RoutedNet.KubeApiServer.Registry;

/// <summary>
/// Which (group, version, plural) are served right now: the built-ins plus whatever the stored
/// CustomResourceDefinitions register. Copy-on-write, so request threads read it without a lock.
/// </summary>
public sealed class ResourceRegistry
{
    private volatile IReadOnlyList<ResourceType> _types;
    private readonly Lock _gate = new();

    public ResourceRegistry() => _types = [.. BuiltinResources.All()];

    public IReadOnlyList<ResourceType> All => _types;

    public ResourceType? Find(string group, string version, string plural)
    {
        foreach (var type in _types)
        {
            if (type.Group == group && type.Version == version && type.Plural == plural)
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>The groups in serving order, each with its versions (preferred first).</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var result = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _types.Select(t => t.Group).Where(g => g.Length > 0).Distinct())
        {
            result.Add((group, [.. _types.Where(t => t.Group == group).Select(t => t.Version).Distinct()]));
        }
        return result;
    }

    /// <summary>Replaces every resource of <paramref name="group"/>/<paramref name="plural"/> (all versions).</summary>
    public void ReplaceCustom(string group, string plural, IReadOnlyList<ResourceType> versions)
    {
        lock (_gate)
        {
            var next = _types.Where(t => !(t.IsCustom && t.Group == group && t.Plural == plural)).ToList();
            next.AddRange(versions);
            _types = next;
        }
    }
}
