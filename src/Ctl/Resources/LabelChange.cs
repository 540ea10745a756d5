using System.Text.RegularExpressions;

namespace RoutedNet.Ctl.Resources;

/// <summary>
/// `label KIND NAME key=value key-` as kubectl reads it: set or, with a trailing '-', remove a
/// label. Keys and values follow Kubernetes' label syntax, so a label written here means the same
/// to a nodeSelector as one written by kubectl.
/// </summary>
internal sealed partial record LabelChange(string Key, string? Value)
{
    public bool Removes => Value is null;

    public static LabelChange Parse(string text)
    {
        if (text.EndsWith('-') && !text.Contains('=', StringComparison.Ordinal))
        {
            return new LabelChange(CheckKey(text[..^1], text), null);
        }
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new CtlException($"\"{text}\" is neither key=value nor key- (to remove)");
        }
        var value = text[(equals + 1)..];
        if (value.Length > 63 || !ValueSyntax().IsMatch(value))
        {
            throw new CtlException($"label value \"{value}\" in \"{text}\" must be at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit");
        }
        return new LabelChange(CheckKey(text[..equals], text), value);
    }

    /// <summary>The labels after <paramref name="changes"/>; a key set to another value needs <paramref name="overwrite"/>, as in kubectl.</summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string>? labels, IEnumerable<LabelChange> changes, bool overwrite, string what)
    {
        var result = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Removes)
            {
                if (!result.Remove(change.Key))
                {
                    throw new CtlException(CtlExitCode.Problem, $"{what} has no label \"{change.Key}\" to remove");
                }
                continue;
            }
            if (!overwrite && result.TryGetValue(change.Key, out var old) && old != change.Value)
            {
                throw new CtlException(CtlExitCode.Problem, $"{what} already has label {change.Key}={old}; pass --overwrite to change it");
            }
            result[change.Key] = change.Value!;
        }
        return result;
    }

    // [prefix/]name: prefix a DNS subdomain (≤ 253), name ≤ 63 of [A-Za-z0-9-_.] starting and ending alphanumeric.
    private static string CheckKey(string key, string text)
    {
        var slash = key.LastIndexOf('/');
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (name.Length is 0 or > 63 || !NameSyntax().IsMatch(name) || (prefix is not null && (prefix.Length is 0 or > 253 || !PrefixSyntax().IsMatch(prefix))))
        {
            throw new CtlException($"label key \"{key}\" in \"{text}\" must be [prefix/]name: name at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit; prefix a DNS subdomain");
        }
        return key;
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$")]
    private static partial Regex NameSyntax();

    [GeneratedRegex("^([A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?)?$")]
    private static partial Regex ValueSyntax();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex PrefixSyntax();
}
