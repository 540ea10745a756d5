using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// Which attachment (container id, ifname) owns which host veth, and its addresses, one small
/// file per veth in DATADIR/NETWORK/VETH. GC needs this (its valid-attachments list names attachments, and the
/// veth name is derived from the pod, not the container), and DEL uses it to leave alone a veth
/// that a newer sandbox of the same pod already owns. A file rather than IFLA_IFALIAS because
/// the Netlink library does not expose the alias; the records are per network, so GC of one
/// network never touches another network's veths.
/// </summary>
internal sealed class AttachmentRecords
{
    private readonly string _directory;

    public AttachmentRecords(string dataDir, string networkName)
    {
        _directory = Path.Combine(dataDir, networkName);
    }

    /// <summary>The line that says a datastore endpoint (WorkloadEndpoint) will describe the attachment.</summary>
    public const string EndpointLine = "endpoint=datastore";

    /// <summary>
    /// Records the attachment and the pod's addresses (full-length, one a line after the container
    /// id and interface), then <see cref="EndpointLine"/> when <paramref name="describedByEndpoint"/>:
    /// the node agent reads these records to know every pod wired here, with or without a
    /// datastore, and routes to them; a pod that a WorkloadEndpoint will describe stays closed to
    /// policy until that endpoint reaches the agent, instead of passing everything meanwhile (the
    /// format is the contract between the two binaries; older agents skip the line).
    /// </summary>
    public void Write(string veth, CniAttachment attachment, IReadOnlyList<IpCidr> addresses, bool describedByEndpoint)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(addresses);
        Directory.CreateDirectory(_directory);
        // Write then rename: a crash never leaves a half-written record that GC (or the agent) would misread.
        var path = Path.Combine(_directory, veth);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var text = new System.Text.StringBuilder().Append(attachment.ContainerId).Append('\n').Append(attachment.IfName).Append('\n');
        foreach (var address in addresses)
        {
            text.Append(address.Host.ToString()).Append('\n');
        }
        if (describedByEndpoint)
        {
            text.Append(EndpointLine).Append('\n');
        }
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    public CniAttachment? Read(string veth)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(_directory, veth));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return lines.Length >= 2 ? new CniAttachment { ContainerId = lines[0], IfName = lines[1] } : null;
    }

    public void Delete(string veth)
    {
        try
        {
            File.Delete(Path.Combine(_directory, veth));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever recorded for this network: nothing to delete.
        }
    }

    /// <summary>Every recorded veth of this network with its attachment.</summary>
    public IEnumerable<(string Veth, CniAttachment Attachment)> List()
    {
        if (!Directory.Exists(_directory))
        {
            yield break;
        }
        foreach (var path in Directory.EnumerateFiles(_directory))
        {
            var veth = Path.GetFileName(path);
            if (VethName.IsOurs(veth) && Read(veth) is { } attachment)
            {
                yield return (veth, attachment);
            }
        }
    }
}
