using System.Text;

namespace RoutedNet.PolicyBench;

/// <summary>
/// One table as `nft list table` prints it: sets and maps (their declaration lines and elements),
/// chains (a base chain's "type … hook …" line and the rules). <see cref="Delta"/> writes the `nft -f`
/// script that turns one listing into another the way an agent shelling out would (and as ours
/// does over netlink): elements one by one, a changed chain flushed and refilled, new sets and chains
/// added, gone ones deleted; the reference side of bench/policy-enforce.sh.
/// </summary>
internal sealed class NftListing
{
    public required string Family { get; init; }

    public required string Table { get; init; }

    /// <summary>Set or map name -> (kind "set"|"map", declaration lines, elements as printed).</summary>
    public Dictionary<string, (string Kind, List<string> Declaration, HashSet<string> Elements)> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>Chain name -> (base chain line or null, rules as printed).</summary>
    public Dictionary<string, (string? Header, List<string> Rules)> Chains { get; } = new(StringComparer.Ordinal);

    public int ElementCount => Sets.Values.Sum(s => s.Elements.Count);

    public int RuleCount => Chains.Values.Sum(c => c.Rules.Count);

    public static NftListing Parse(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var head = lines[0].Split(' ');
        var listing = new NftListing { Family = head[1], Table = head[2] };
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith("set ", StringComparison.Ordinal) || line.StartsWith("map ", StringComparison.Ordinal))
            {
                var name = line.Split(' ')[1];
                var declaration = new List<string>();
                var elements = new HashSet<string>(StringComparer.Ordinal);
                for (i++; lines[i] != "}"; i++)
                {
                    if (!lines[i].StartsWith("elements = {", StringComparison.Ordinal))
                    {
                        declaration.Add(lines[i]);
                        continue;
                    }
                    var content = new StringBuilder(lines[i]["elements = {".Length..]);
                    while (!lines[i].EndsWith('}'))
                    {
                        content.Append(' ').Append(lines[++i]);
                    }
                    var all = content.ToString().TrimEnd('}');
                    foreach (var element in all.Split(','))
                    {
                        if (element.Trim() is { Length: > 0 } e)
                        {
                            elements.Add(e);
                        }
                    }
                }
                listing.Sets[name] = (line[..3], declaration, elements);
            }
            else if (line.StartsWith("chain ", StringComparison.Ordinal))
            {
                var name = line.Split(' ')[1];
                string? header = null;
                var rules = new List<string>();
                for (i++; lines[i] != "}"; i++)
                {
                    if (rules.Count == 0 && header is null && lines[i].StartsWith("type ", StringComparison.Ordinal))
                    {
                        header = lines[i];
                    }
                    else
                    {
                        rules.Add(lines[i]);
                    }
                }
                listing.Chains[name] = (header, rules);
            }
        }
        return listing;
    }

    /// <summary>The `nft -f` script from <paramref name="from"/> to <paramref name="to"/>; empty when they list the same.</summary>
    public static string Delta(NftListing from, NftListing to)
    {
        var t = $"{to.Family} {to.Table}";
        var script = new StringBuilder();
        var adds = new StringBuilder();
        foreach (var (name, set) in to.Sets.Where(s => !from.Sets.ContainsKey(s.Key)))
        {
            script.Append($"add {set.Kind} {t} {name} {{ {string.Join("; ", set.Declaration)}; }}\n");
        }
        foreach (var (name, chain) in to.Chains.Where(c => !from.Chains.ContainsKey(c.Key)))
        {
            script.Append(chain.Header is null ? $"add chain {t} {name}\n" : $"add chain {t} {name} {{ {chain.Header} }}\n");
        }
        foreach (var (name, set) in from.Sets)
        {
            // Elements out of sets that stay, and out of maps that go (a map element refers to its chain).
            var keep = to.Sets.TryGetValue(name, out var want) ? want.Elements : null;
            if (keep is null && set.Kind != "map")
            {
                continue;
            }
            var gone = set.Elements.Where(e => keep is null || !keep.Contains(e)).Select(e => set.Kind == "map" ? e.Split(" : ")[0] : e).ToList();
            if (gone.Count > 0)
            {
                script.Append($"delete element {t} {name} {{ {string.Join(", ", gone)} }}\n");
            }
        }
        foreach (var (name, chain) in to.Chains)
        {
            var old = from.Chains.GetValueOrDefault(name);
            if (old.Rules is not null && old.Rules.SequenceEqual(chain.Rules))
            {
                continue;
            }
            if (old.Rules is { Count: > 0 })
            {
                script.Append($"flush chain {t} {name}\n");
            }
            foreach (var rule in chain.Rules)
            {
                script.Append($"add rule {t} {name} {rule}\n");
            }
        }
        foreach (var (name, chain) in from.Chains.Where(c => !to.Chains.ContainsKey(c.Key) && c.Value.Rules.Count > 0))
        {
            script.Append($"flush chain {t} {name}\n");
        }
        foreach (var (name, set) in to.Sets)
        {
            var had = from.Sets.TryGetValue(name, out var old) ? old.Elements : null;
            var added = set.Elements.Where(e => had is null || !had.Contains(e)).ToList();
            if (added.Count > 0)
            {
                adds.Append($"add element {t} {name} {{ {string.Join(", ", added)} }}\n");
            }
        }
        script.Append(adds);
        foreach (var name in from.Chains.Keys.Where(n => !to.Chains.ContainsKey(n)))
        {
            script.Append($"delete chain {t} {name}\n");
        }
        foreach (var (name, set) in from.Sets.Where(s => !to.Sets.ContainsKey(s.Key)))
        {
            script.Append($"delete {set.Kind} {t} {name}\n");
        }
        return script.ToString();
    }
}
