using System.Net;
using System.Net.Sockets;

namespace RoutedNet.Felix.Workloads;

/// <summary>
/// Reads the CNI plugin's attachment records: DATADIR/NETWORK/VETH, one small file per host veth
/// holding the container id, the interface name and then one address per line, and
/// "endpoint=datastore" when a WorkloadEndpoint describes the attachment (the plugin's
/// `AttachmentRecords` writes them on ADD and deletes them on DEL; the format is the contract
/// between the two binaries, which share no code). Written by write-then-rename, so a file is
/// always whole; temporary files and names that are not the plugin's veth names are skipped.
/// </summary>
public static class AttachmentRecordReader
{
    /// <summary>The record's line saying a WorkloadEndpoint describes the attachment.</summary>
    public const string EndpointLine = "endpoint=datastore";

    /// <summary>The plugin's veth names: "rn" + 13 lower-case hex digits.</summary>
    public static bool IsPodVethName(string name) =>
        name.Length == 15
        && name.StartsWith("rn", StringComparison.Ordinal)
        && name.AsSpan(2).IndexOfAnyExcept("0123456789abcdef") < 0;

    /// <summary>Every record under <paramref name="dataDir"/>; a missing directory has none.</summary>
    public static List<LocalAttachment> ReadAll(string dataDir)
    {
        var result = new List<LocalAttachment>();
        if (!Directory.Exists(dataDir))
        {
            return result;
        }
        foreach (var networkDir in Directory.EnumerateDirectories(dataDir))
        {
            var network = Path.GetFileName(networkDir);
            foreach (var file in Directory.EnumerateFiles(networkDir))
            {
                var veth = Path.GetFileName(file);
                if (IsPodVethName(veth) && Read(network, veth, file) is { } attachment)
                {
                    result.Add(attachment);
                }
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>
    /// The record at <paramref name="file"/> (DATADIR/NETWORK/VETH), or null when that path holds
    /// none: gone, not a veth's name (the plugin's temporary files), or too short.
    /// </summary>
    public static LocalAttachment? ReadOne(string file)
    {
        var veth = Path.GetFileName(file);
        var network = Path.GetFileName(Path.GetDirectoryName(file));
        return IsPodVethName(veth) && !string.IsNullOrEmpty(network) ? Read(network, veth, file) : null;
    }

    private static LocalAttachment? Read(string network, string veth, string file)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted by a DEL while the directory was being read.
            return null;
        }
        if (lines.Length < 2)
        {
            return null;
        }
        var addresses = new List<IPNetwork>();
        var awaitsEndpoint = false;
        foreach (var line in lines.AsSpan(2))
        {
            if (IPNetwork.TryParse(line.Trim(), out var address) && IsHost(address))
            {
                addresses.Add(address);
            }
            awaitsEndpoint |= line.Trim() == EndpointLine;
        }
        return new LocalAttachment(network, veth, lines[0], lines[1], addresses) { AwaitsEndpoint = awaitsEndpoint };
    }

    private static bool IsHost(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
}
