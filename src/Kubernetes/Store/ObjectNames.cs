using System.Security.Cryptography;
using System.Text;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// Object names on the API server. RoutedNet names allow A-Z, '_' and ':' (a handle is
/// NETWORK.CONTAINER.IFNAME, the network name the operator's), the API only DNS-1123 subdomains.
/// A name that is one is used as it is; any other becomes its readable part plus a SHA-256 prefix,
/// and the logical name is kept in the annotation <see cref="NameAnnotation"/>. The encoding is
/// part of the stored data: changing it would strand every object written before, so it never changes.
/// </summary>
public static class ObjectNames
{
    public const string NameAnnotation = "routednet.io/name";

    private const int MaxLength = 253;
    private const int ReadablePart = 180;
    private const int HashHexDigits = 20;

    /// <summary>The object name on the API server of the RoutedNet name <paramref name="name"/>.</summary>
    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (IsDns1123Subdomain(name))
        {
            return name;
        }
        var readable = new StringBuilder(Math.Min(name.Length, ReadablePart));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, ReadablePart)))
        {
            readable.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c
                : c is >= 'A' and <= 'Z' ? char.ToLowerInvariant(c)
                : '-');
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashHexDigits];
        var prefix = readable.ToString().Trim('-');
        return prefix.Length == 0 ? hash : prefix + "-" + hash;
    }

    /// <summary>What the API accepts as a name: lower-case alphanumeric labels joined by '.', '-' inside a label, at most 253.</summary>
    public static bool IsDns1123Subdomain(string name)
    {
        if (name.Length is 0 or > MaxLength)
        {
            return false;
        }
        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }
            foreach (var c in label)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
