using System.Globalization;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>One entry of a rule's ports: a number, a "first:last" range, or a named port.</summary>
internal readonly record struct PortMatch(int First, int Last, string? Name)
{
    /// <summary>Whether <paramref name="port"/> matches; a named port is looked up on <paramref name="endpoint"/> for <paramref name="protocol"/>.</summary>
    public bool Matches(int port, int protocol, PolicyEndpoint? endpoint)
    {
        if (Name is null)
        {
            return port >= First && port <= Last;
        }
        if (endpoint is null)
        {
            return false;
        }
        foreach (var named in endpoint.Ports)
        {
            // A named port whose protocol is not the rule's does not match (cyclonus "pathological").
            if (named.Port == port && named.Protocol == protocol && named.Name == Name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses 80, "80", "8080:8090" or a name; false (with the reason) for anything else.</summary>
    public static bool TryParse(IntOrString value, out PortMatch match, out string error)
    {
        match = default;
        error = "";
        if (value.IntValue is { } number)
        {
            return InRange(number, number, value, ref match, ref error);
        }
        var text = value.StringValue ?? "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            {
                if (first > last)
                {
                    error = $"port range \"{text}\" runs backwards";
                    return false;
                }
                return InRange(first, last, value, ref match, ref error);
            }
            error = $"port \"{text}\" is neither a number, a range \"first:last\" nor a name";
            return false;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
        {
            return InRange(single, single, value, ref match, ref error);
        }
        // IANA service names (RFC 6335 §5.1), which Kubernetes uses for container port names:
        // 1–15 of a-z 0-9 -, at least one letter, no leading, trailing or double '-'.
        if (text.Length is < 1 or > 15 || !text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || !text.Any(char.IsAsciiLetterLower) || text[0] == '-' || text[^1] == '-' || text.Contains("--", StringComparison.Ordinal))
        {
            error = $"port \"{text}\" is neither a number, a range \"first:last\" nor a port name (1–15 of a-z 0-9 -, with a letter)";
            return false;
        }
        match = new PortMatch(0, 0, text);
        return true;
    }

    private static bool InRange(int first, int last, IntOrString value, ref PortMatch match, ref string error)
    {
        if (first is < 1 or > 65535 || last is < 1 or > 65535)
        {
            error = $"port {value} is out of range 1–65535";
            return false;
        }
        match = new PortMatch(first, last, null);
        return true;
    }

    public override string ToString() =>
        Name ?? (First == Last ? First.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{First}:{Last}"));
}
