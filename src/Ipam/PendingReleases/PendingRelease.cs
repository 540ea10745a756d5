using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RoutedNet.Ipam.PendingReleases;

/// <summary>
/// A CNI DEL that could not reach the node agent: what the agent must still do for the attachment
/// once it is back (release the handle's addresses, remove the endpoint record). The CNI plugin
/// writes it, the agent carries it out; one small text file per attachment, named by the handle's
/// SHA-256, so a repeated DEL of the same attachment replaces its entry instead of adding one.
/// </summary>
public sealed record PendingRelease
{
    /// <summary>The first line of every entry: format and version.</summary>
    public const string Header = "routednet-pending-release 1";

    /// <summary>The IPAM handle, NETWORK.CONTAINERID.IFNAME: exactly what is released.</summary>
    public required string HandleId { get; init; }

    public required string ContainerId { get; init; }

    public required string IfName { get; init; }

    public required string Network { get; init; }

    public string Pod { get; init; } = "";

    public string Namespace { get; init; } = "";

    /// <summary>Release the handle's addresses (false: the addresses came from another IPAM plugin; only the endpoint record goes).</summary>
    public bool ReleaseAddresses { get; init; } = true;

    /// <summary>The entry's file name: the handle's SHA-256 in hex, plus ".release".</summary>
    public static string FileNameFor(string handleId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handleId))) + PendingReleaseQueue.Extension;

    /// <summary>The file's text: the header, then one field a line.</summary>
    public string Format()
    {
        foreach (var field in new[] { HandleId, ContainerId, IfName, Network, Pod, Namespace })
        {
            if (field.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"a pending release field holds a line break: '{field}'");
            }
        }
        return string.Join('\n', Header, HandleId, ContainerId, IfName, Network, Pod, Namespace, ReleaseAddresses ? "1" : "0") + "\n";
    }

    /// <summary>The entry in <paramref name="text"/>, or null with <paramref name="problem"/> saying what is wrong with it.</summary>
    public static PendingRelease? TryParse(string text, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        // Eight lines and the empty string after the last line break: anything else is truncated or foreign.
        if (lines.Length != 9 || lines[8].Length != 0)
        {
            problem = $"expected 8 lines, found {(lines.Length - 1).ToString(CultureInfo.InvariantCulture)}";
            return null;
        }
        if (lines[0] != Header)
        {
            problem = $"first line is not '{Header}'";
            return null;
        }
        if (lines[1].Length == 0 || lines[2].Length == 0 || lines[3].Length == 0 || lines[4].Length == 0)
        {
            problem = "handle, container id, interface or network is empty";
            return null;
        }
        if (lines[7] is not ("0" or "1"))
        {
            problem = $"line 8 must be 0 or 1, not '{lines[7]}'";
            return null;
        }
        problem = "";
        return new PendingRelease
        {
            HandleId = lines[1],
            ContainerId = lines[2],
            IfName = lines[3],
            Network = lines[4],
            Pod = lines[5],
            Namespace = lines[6],
            ReleaseAddresses = lines[7] == "1",
        };
    }
}
