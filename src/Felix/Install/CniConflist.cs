using System.Text.Json;
using RoutedNet.Felix.Configuration;

namespace RoutedNet.Felix.Install;

/// <summary>
/// The conflist the agent writes for its node, built from the agent's own settings so that the
/// plugin and the agent cannot disagree: the plugin asks this agent ("datastoreAccess": "agent",
/// "agentSocket" = the agent's --api-socket), records its attachments where the agent reads them
/// ("dataDir" = --cni-data-dir) and takes addresses through the agent ("ipam": routednet-ipam).
/// Written with a JSON writer (typed values, keys in a fixed order), never by editing text, so
/// that the same settings give the same bytes and "changed" means a real change. It holds no
/// credentials: the plugin has none (DESIGN.md, issue 14).
/// </summary>
public static class CniConflist
{
    /// <summary>The highest spec version containerd 1.7's libcni loads; the plugin speaks up to 1.1.0.</summary>
    public const string CniVersion = "1.0.0";

    public static byte[] Render(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("cniVersion", CniVersion);
            json.WriteString("name", options.CniNetworkName);
            json.WriteStartArray("plugins");
            json.WriteStartObject();
            json.WriteString("type", CniBinaries.Names[0]);
            if (options.IsKubernetes)
            {
                // The plugin then refuses "direct" outright, should anyone edit the file.
                json.WriteString("datastore", "kubernetes");
            }
            json.WriteString("datastoreAccess", "agent");
            json.WriteString("agentSocket", options.ApiSocket);
            json.WriteString("dataDir", options.CniDataDir);
            if (options.CniMtu != 0)
            {
                json.WriteNumber("mtu", options.CniMtu);
            }
            json.WriteStartObject("ipam");
            json.WriteString("type", CniBinaries.Names[1]);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The conflist's path, or null when the agent writes none.</summary>
    public static string? PathFor(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CniConfDir is { } dir ? Path.Combine(dir, options.CniConfName) : null;
    }
}
