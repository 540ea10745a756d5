using System.Security.Cryptography;
using System.Text;

namespace RoutedNet.Kubernetes.Store;

/// <summary>
/// The label <c>routednet.io/node</c> on IPAM blocks and affinities, so that a node's own objects
/// can be listed with a label selector. Label values stop at 63 characters of [A-Za-z0-9_.-]: a
/// node name that does not fit is replaced by a hash of it (never changed, like object names).
/// </summary>
public static class NodeLabels
{
    public const string Key = "routednet.io/node";

    private const int MaxValue = 63;

    public static string ValueFor(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Length is > 0 and <= MaxValue && char.IsAsciiLetterOrDigit(node[0]) && char.IsAsciiLetterOrDigit(node[^1])
            && node.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return node;
        }
        return "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..(MaxValue - 7)];
    }
}
