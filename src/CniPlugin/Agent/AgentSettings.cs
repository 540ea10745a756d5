using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.CniPlugin.Wiring;
using RoutedNet.Datastore;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// Whether the plugin reaches the datastore itself or asks its node agent (netconf key
/// "datastoreAccess": "direct" or "agent", DESIGN.md "Contracts"). With the kubernetes datastore
/// it is always the agent: the plugin holds no API credentials, and "direct" is refused. With
/// sqlite and etcd "direct" stays the default. The agent is found through "agentSocket" (default
/// /run/routednet/node.sock); releases it cannot take are queued under the plugin's "dataDir".
/// </summary>
internal sealed record AgentSettings
{
    public const string AccessKey = "datastoreAccess";
    public const string Agent = "agent";
    public const string Direct = "direct";

    public required bool UseAgent { get; init; }

    public required string Socket { get; init; }

    /// <summary>The plugin's dataDir: the queue of releases waiting for the agent lives in it.</summary>
    public required string DataDir { get; init; }

    public static AgentSettings From(NetworkConfig config, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(getVariable);
        var socket = config.OptionalString("agentSocket") is { Length: > 0 } s ? s : AgentNodeName.DefaultAgentSocket;
        if (!Path.IsPathFullyQualified(socket))
        {
            throw NetworkConfig.Invalid($"\"agentSocket\" '{socket}' must be an absolute path");
        }
        var dataDir = config.OptionalString("dataDir") ?? RoutedNetConfig.DefaultDataDir;
        if (!Path.IsPathFullyQualified(dataDir))
        {
            throw NetworkConfig.Invalid($"\"dataDir\" '{dataDir}' must be an absolute path");
        }
        var datastore = config.OptionalString("datastore") is { Length: > 0 } d ? d : getVariable(DatastoreUrl.EnvironmentVariable);
        var kubernetes = string.Equals(datastore?.Trim(), "kubernetes", StringComparison.Ordinal);
        var access = config.OptionalString(AccessKey);
        var useAgent = access switch
        {
            null or "" => kubernetes,
            Agent => true,
            Direct when kubernetes => throw NetworkConfig.Invalid(
                $"\"{AccessKey}\": \"{Direct}\" with the kubernetes datastore: the plugin reaches the Kubernetes API only through its node agent; remove the key or set it to \"{Agent}\""),
            Direct => false,
            _ => throw NetworkConfig.Invalid($"\"{AccessKey}\" must be \"{Agent}\" or \"{Direct}\", not '{access}'"),
        };
        return new AgentSettings { UseAgent = useAgent, Socket = socket, DataDir = dataDir };
    }
}
