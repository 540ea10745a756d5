using System.Net;
using System.Text.Json;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.IpamRole;

/// <summary>
/// The "ipam" section for `routednet-ipam` (DESIGN.md "Contracts"): "pools" (names or CIDRs;
/// empty = every enabled pool whose nodeSelector matches), "assignIPv4" (default true),
/// "assignIPv6" (default false), "reserved" (CIDRs never handed out), "gcGracePeriodSeconds"
/// (default 60). Specific addresses come from CNI_ARGS "IP=a[,b]" or runtimeConfig "ips".
/// </summary>
internal sealed record IpamRoleConfig
{
    public const int DefaultGcGraceSeconds = 60;

    public IReadOnlyList<string> Pools { get; init; } = [];

    public bool AssignIPv4 { get; init; } = true;

    public bool AssignIPv6 { get; init; }

    public IReadOnlyList<IPNetwork> Reserved { get; init; } = [];

    public TimeSpan GcGracePeriod { get; init; } = TimeSpan.FromSeconds(DefaultGcGraceSeconds);

    public static IpamRoleConfig From(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Ipam is not { } ipam)
        {
            return new IpamRoleConfig();
        }
        return new IpamRoleConfig
        {
            Pools = Strings(ipam, "pools"),
            AssignIPv4 = Bool(ipam, "assignIPv4") ?? true,
            AssignIPv6 = Bool(ipam, "assignIPv6") ?? false,
            Reserved = Strings(ipam, "reserved").Select(ParseReserved).ToArray(),
            GcGracePeriod = TimeSpan.FromSeconds(Int(ipam, "gcGracePeriodSeconds") ?? DefaultGcGraceSeconds),
        };
    }

    /// <summary>Addresses asked for by CNI_ARGS IP= (comma-separated) and runtimeConfig.ips (CIDR or bare).</summary>
    public static IReadOnlyList<IPAddress> RequestedAddresses(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var texts = new List<string>();
        if (request.Environment.Args.Get("IP") is { } fromArgs)
        {
            texts.AddRange(fromArgs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (request.Config.Root.TryGetProperty("runtimeConfig", out var runtime) && runtime.ValueKind == JsonValueKind.Object)
        {
            texts.AddRange(Strings(runtime, "ips"));
        }
        return texts.Select(ParseAddress).Distinct().ToArray();
    }

    private static IPAddress ParseAddress(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address)
            ? address
            : throw NetworkConfig.Invalid($"requested address '{text}' is not an IP address");
    }

    private static IPNetwork ParseReserved(string text) =>
        IPNetwork.TryParse(text, out var network) ? network
        : IPAddress.TryParse(text, out var single) ? new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : throw NetworkConfig.Invalid($"ipam.reserved: '{text}' is not a CIDR");

    private static string[] Strings(JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw NetworkConfig.Invalid($"ipam.{key} must be an array of strings");
        }
        return value.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static bool? Bool(JsonElement obj, string key) =>
        !obj.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw NetworkConfig.Invalid($"ipam.{key} must be true or false");

    private static int? Int(JsonElement obj, string key) =>
        !obj.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0 ? n
        : throw NetworkConfig.Invalid($"ipam.{key} must be a non-negative integer");
}
