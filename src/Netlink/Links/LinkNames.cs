using System.Text;
using RoutedNet.Netlink.Interop;

namespace RoutedNet.Netlink;

/// <summary>The kernel's rules for interface names (dev_valid_name), checked before sending so the error names the rule.</summary>
public static class LinkNames
{
    /// <summary>Longest valid name in bytes (IFNAMSIZ − 1).</summary>
    public const int MaxLength = IfLink.IFNAMSIZ - 1;

    public static bool IsValid(string name) =>
        !string.IsNullOrEmpty(name)
        && Encoding.UTF8.GetByteCount(name) <= MaxLength
        && name is not "." and not ".."
        && !name.AsSpan().ContainsAny('/', ':')
        && !name.Any(char.IsWhiteSpace);

    public static void Check(string name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a valid interface name (1..{MaxLength} bytes, no '/', ':' or whitespace)", nameof(name));
        }
    }
}
