using System.Text.Json;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// Who the pod is, as the runtime passes it in the network configuration's "args" (CNI
/// CONVENTIONS.md): "args": {"cni": {"labels": [{"key","value"}]}, "routednet": {"serviceAccount",
/// "ports": [{"name","protocol","port"}]}}. On sqlite/etcd the plugin is the WorkloadEndpoint's one
/// writer and creates it with these in one write, so policy selects the pod by its labels from the
/// endpoint's first revision (the lab's `add-pod` passes them; kubelet passes none, and on the
/// kubernetes datastore the agent takes them from the Pod instead).
/// </summary>
internal sealed record PodIdentityArgs(IReadOnlyDictionary<string, string>? Labels, string? ServiceAccount, IReadOnlyList<EndpointPort>? Ports)
{
    public static PodIdentityArgs From(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Root.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object)
        {
            return new PodIdentityArgs(null, null, null);
        }
        return new PodIdentityArgs(ReadLabels(args), ReadServiceAccount(args), ReadPorts(args));
    }

    private static Dictionary<string, string>? ReadLabels(JsonElement args)
    {
        if (!args.TryGetProperty("cni", out var cni) || cni.ValueKind != JsonValueKind.Object
            || !cni.TryGetProperty("labels", out var labels) || labels.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (labels.ValueKind != JsonValueKind.Array)
        {
            throw NetworkConfig.Invalid("args.cni.labels must be a list of {\"key\", \"value\"}");
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels.EnumerateArray())
        {
            var key = Text(label, "key", "args.cni.labels[]");
            result[key] = Text(label, "value", $"args.cni.labels[{key}]", allowEmpty: true);
        }
        return result.Count == 0 ? null : result;
    }

    private static string? ReadServiceAccount(JsonElement args) =>
        Ours(args) is { } ours && ours.TryGetProperty("serviceAccount", out var account) && account.ValueKind != JsonValueKind.Null
            ? account.ValueKind == JsonValueKind.String ? account.GetString() : throw NetworkConfig.Invalid("args.routednet.serviceAccount must be a string")
            : null;

    private static List<EndpointPort>? ReadPorts(JsonElement args)
    {
        if (Ours(args) is not { } ours || !ours.TryGetProperty("ports", out var ports) || ports.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (ports.ValueKind != JsonValueKind.Array)
        {
            throw NetworkConfig.Invalid("args.routednet.ports must be a list of {\"name\", \"protocol\", \"port\"}");
        }
        var result = new List<EndpointPort>();
        foreach (var port in ports.EnumerateArray())
        {
            var name = Text(port, "name", "args.routednet.ports[]");
            var protocol = port.ValueKind == JsonValueKind.Object && port.TryGetProperty("protocol", out _) ? Text(port, "protocol", $"args.routednet.ports[{name}]") : "TCP";
            if (!port.TryGetProperty("port", out var number) || number.ValueKind != JsonValueKind.Number || !number.TryGetInt32(out var value) || value is < 1 or > 65535)
            {
                throw NetworkConfig.Invalid($"args.routednet.ports[{name}].port must be a number 1..65535");
            }
            if (protocol is not ("TCP" or "UDP" or "SCTP"))
            {
                throw NetworkConfig.Invalid($"args.routednet.ports[{name}].protocol \"{protocol}\" must be TCP, UDP or SCTP");
            }
            result.Add(new EndpointPort { Name = name, Protocol = protocol, Port = value });
        }
        return result.Count == 0 ? null : result;
    }

    private static JsonElement? Ours(JsonElement args) =>
        args.TryGetProperty("routednet", out var ours) && ours.ValueKind == JsonValueKind.Object ? ours : null;

    private static string Text(JsonElement item, string key, string where, bool allowEmpty = false)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String
            || (!allowEmpty && string.IsNullOrEmpty(value.GetString())))
        {
            throw NetworkConfig.Invalid($"{where} needs a string \"{key}\"");
        }
        return value.GetString()!;
    }
}
