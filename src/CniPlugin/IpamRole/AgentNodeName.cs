using System.Net;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// One source of truth for the node name (issue 13 item 3). `routednet-node` writes its
/// `--node-name` to the file <c>nodename</c> in its API socket's directory (as calico-node writes
/// /var/lib/calico/nodename); the plugin finds its agent through the netconf key "agentSocket"
/// (DESIGN.md "Contracts"; default /run/routednet/node.sock) and, where that file exists, uses
/// that name: block affinity, the WorkloadEndpoint's node and the agent's routes then agree. A
/// configured "nodeName" (or NODENAME) that differs is an error naming both. Without the file
/// (no agent on this node) the plugin falls back to "nodeName", NODENAME, then the host name;
/// with an explicit "agentSocket" the agent is expected, so a missing file means "not started
/// yet": try again later. Costs one small file read, and only for verbs that need the name.
/// </summary>
internal static class AgentNodeName
{
    public const string DefaultAgentSocket = "/run/routednet/node.sock";
    public const string FileName = "nodename";
    public const string NodeNameVariable = "NODENAME";

    /// <summary>Where the agent serving <paramref name="agentSocket"/> writes its node name.</summary>
    public static string FilePath(string agentSocket) => Path.Combine(Path.GetDirectoryName(agentSocket) ?? "/", FileName);

    public static string Resolve(NetworkConfig config, Func<string, string?> getVariable, Func<string, string?> readFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentNullException.ThrowIfNull(readFile);
        var explicitSocket = config.OptionalString("agentSocket") is { Length: > 0 } s ? s : null;
        if (explicitSocket is not null && !Path.IsPathFullyQualified(explicitSocket))
        {
            throw NetworkConfig.Invalid($"\"agentSocket\" '{explicitSocket}' must be an absolute path");
        }
        var socket = explicitSocket ?? DefaultAgentSocket;
        var file = FilePath(socket);
        var fromAgent = readFile(file)?.Trim() is { Length: > 0 } name ? name : null;
        var (configured, origin) = config.OptionalString("nodeName") is { Length: > 0 } n ? (n, "\"nodeName\"")
            : getVariable(NodeNameVariable) is { Length: > 0 } e ? (e, NodeNameVariable)
            : ((string?)null, "");
        if (fromAgent is not null)
        {
            if (configured is not null && configured != fromAgent)
            {
                throw NetworkConfig.Invalid(
                    $"{origin} '{configured}' differs from '{fromAgent}', the node name of the agent at {socket} (in {file}): remove {origin} or make the two agree");
            }
            return fromAgent;
        }
        if (explicitSocket is not null)
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"no node name from the agent at {socket}: {file} does not exist yet (is routednet-node running with --api-socket {socket}?)");
        }
        return configured ?? Dns.GetHostName();
    }

    /// <summary>The file's text, or null when it (or its directory) does not exist.</summary>
    public static string? ReadFile(string path)
    {
        try
        {
            // Checked first: with no agent on the node this is the usual case, and a stat is cheaper than a thrown exception.
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"reading the agent's node name from {path}: {e.Message}");
        }
    }
}
