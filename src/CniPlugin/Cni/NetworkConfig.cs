using System.Text.Json;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// The network configuration on stdin (spec "Section 1"), with the fields every plugin role
/// reads; role-specific keys are read from <see cref="Root"/>. <see cref="Raw"/> is what a
/// delegated plugin gets: the spec says IPAM receives the same config.
/// </summary>
internal sealed class NetworkConfig
{
    private NetworkConfig(byte[] raw, JsonElement root, string cniVersion, string name, string type)
    {
        Raw = raw;
        Root = root;
        CniVersion = cniVersion;
        Name = name;
        Type = type;
    }

    public byte[] Raw { get; }

    public JsonElement Root { get; }

    public string CniVersion { get; }

    public string Name { get; }

    public string Type { get; }

    /// <summary>The "ipam" section, when there is one.</summary>
    public JsonElement? Ipam { get; private init; }

    /// <summary>ipam.type: the plugin to delegate to; null without an ipam section.</summary>
    public string? IpamType { get; private init; }

    /// <summary>What earlier plugins of the list produced (ADD), or the cached final result (CHECK, DEL).</summary>
    public CniResult? PrevResult { get; private init; }

    /// <summary>GC: "cni.dev/valid-attachments"; null when absent.</summary>
    public IReadOnlyList<CniAttachment>? ValidAttachments { get; private init; }

    public static NetworkConfig Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "no network configuration on stdin");
        }
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(raw);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, "network configuration is not JSON", e.Message);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"network configuration is a JSON {root.ValueKind}, not an object");
        }

        var version = RequiredString(root, "cniVersion");
        if (!CniVersions.IsSupported(version))
        {
            throw CniVersions.Unsupported(version);
        }
        var name = RequiredString(root, "name");
        if (!IsValidNetworkName(name))
        {
            throw Invalid($"\"name\" '{name}' must start with a letter or digit and hold only letters, digits, '_', '.' and '-'");
        }
        var type = RequiredString(root, "type");

        JsonElement? ipam = null;
        string? ipamType = null;
        if (root.TryGetProperty("ipam", out var ipamElement) && ipamElement.ValueKind != JsonValueKind.Null)
        {
            if (ipamElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("\"ipam\" must be an object");
            }
            ipam = ipamElement;
            ipamType = RequiredString(ipamElement, "type", "ipam.type");
            if (ipamType.Contains('/', StringComparison.Ordinal) || ipamType is "." or "..")
            {
                throw Invalid($"ipam.type '{ipamType}' must be a plugin name, not a path");
            }
        }

        return new NetworkConfig(raw, root, version, name, type)
        {
            Ipam = ipam,
            IpamType = ipamType,
            PrevResult = ReadPrevResult(root),
            ValidAttachments = ReadValidAttachments(root),
        };
    }

    /// <summary>An optional integer key of the top-level object.</summary>
    public int? OptionalInt(string key, int min, int max)
    {
        if (!Root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw Invalid($"\"{key}\" must be an integer from {min} to {max}, not {value.GetRawText()}");
        }
        return number;
    }

    /// <summary>An optional string key of the top-level object.</summary>
    public string? OptionalString(string key)
    {
        if (!Root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid($"\"{key}\" must be a string");
    }

    public static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);

    private static string RequiredString(JsonElement obj, string key, string? label = null)
    {
        if (!obj.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(value.GetString()))
        {
            throw Invalid($"\"{label ?? key}\" is missing or not a non-empty string");
        }
        return value.GetString()!;
    }

    private static CniResult? ReadPrevResult(JsonElement root)
    {
        if (!root.TryGetProperty("prevResult", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        try
        {
            return CniResultConverter.Read(value);
        }
        catch (FormatException e)
        {
            throw Invalid($"prevResult: {e.Message}");
        }
    }

    private static List<CniAttachment>? ReadValidAttachments(JsonElement root)
    {
        if (!root.TryGetProperty("cni.dev/valid-attachments", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        try
        {
            return value.Deserialize(CniJsonContext.Default.ListCniAttachment);
        }
        catch (JsonException e)
        {
            throw Invalid($"cni.dev/valid-attachments: {e.Message}");
        }
    }

    // Spec "Network configuration": name must match ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$ (checked by
    // hand: a Regex would cost the per-exec start time the plugin is measured on).
    private static bool IsValidNetworkName(string name) =>
        char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
