using System.Buffers;
using System.Text.Json;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// A <see cref="CniResult"/> from and to JSON, written out by hand: each exec reads one result
/// (IPAM's) and writes one, and building System.Text.Json's serializer metadata for these types
/// (converters, property tables, a reflection scan for polymorphism attributes) cost about a tenth
/// of an ADD's CPU — more than the reading and writing. Unknown members are ignored; null and
/// absent are the same; a member of the wrong JSON type is a <see cref="FormatException"/>.
/// </summary>
internal static class CniResultJson
{
    public static CniResult Read(JsonElement json)
    {
        RequireObject(json, "result");
        return new CniResult
        {
            CniVersion = String(json, "cniVersion"),
            Interfaces = List(json, "interfaces", i => new CniInterface
            {
                Name = String(i, "name") ?? "",
                Mac = String(i, "mac"),
                Mtu = Int(i, "mtu"),
                Sandbox = String(i, "sandbox"),
                SocketPath = String(i, "socketPath"),
                PciId = String(i, "pciID"),
            }),
            Ips = List(json, "ips", ip => new CniIpConfig
            {
                Version = String(ip, "version"),
                Interface = Int(ip, "interface"),
                Address = String(ip, "address") ?? "",
                Gateway = String(ip, "gateway"),
            }),
            Routes = List(json, "routes", r => new CniRoute
            {
                Dst = String(r, "dst") ?? "",
                Gw = String(r, "gw"),
                Mtu = Int(r, "mtu"),
                AdvMss = Int(r, "advmss"),
                Priority = Int(r, "priority"),
                Table = Int(r, "table"),
                Scope = Int(r, "scope"),
            }),
            Dns = Member(json, "dns") is { } dns ? ReadDns(dns) : null,
        };
    }

    /// <summary>UTF-8 JSON, members in the spec's order, null members left out.</summary>
    public static byte[] Write(CniResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteString(w, "cniVersion", result.CniVersion);
            WriteList(w, "interfaces", result.Interfaces, (w, i) =>
            {
                w.WriteString("name", i.Name);
                WriteString(w, "mac", i.Mac);
                WriteInt(w, "mtu", i.Mtu);
                WriteString(w, "sandbox", i.Sandbox);
                WriteString(w, "socketPath", i.SocketPath);
                WriteString(w, "pciID", i.PciId);
            });
            WriteList(w, "ips", result.Ips, (w, ip) =>
            {
                WriteString(w, "version", ip.Version);
                WriteInt(w, "interface", ip.Interface);
                w.WriteString("address", ip.Address);
                WriteString(w, "gateway", ip.Gateway);
            });
            WriteList(w, "routes", result.Routes, (w, r) =>
            {
                w.WriteString("dst", r.Dst);
                WriteString(w, "gw", r.Gw);
                WriteInt(w, "mtu", r.Mtu);
                WriteInt(w, "advmss", r.AdvMss);
                WriteInt(w, "priority", r.Priority);
                WriteInt(w, "table", r.Table);
                WriteInt(w, "scope", r.Scope);
            });
            if (result.Dns is { } dns)
            {
                w.WriteStartObject("dns");
                WriteStrings(w, "nameservers", dns.Nameservers);
                WriteString(w, "domain", dns.Domain);
                WriteStrings(w, "search", dns.Search);
                WriteStrings(w, "options", dns.Options);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static CniDns ReadDns(JsonElement dns)
    {
        RequireObject(dns, "dns");
        return new CniDns
        {
            Nameservers = List(dns, "nameservers", s => AsString(s, "dns.nameservers[]")),
            Domain = String(dns, "domain"),
            Search = List(dns, "search", s => AsString(s, "dns.search[]")),
            Options = List(dns, "options", s => AsString(s, "dns.options[]")),
        };
    }

    private static JsonElement? Member(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement o, string name) =>
        Member(o, name) is { } value ? AsString(value, name) : null;

    private static string AsString(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string", value);

    private static int? Int(JsonElement o, string name) =>
        Member(o, name) is not { } value ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw WrongType(name, "an integer", value);

    private static List<T>? List<T>(JsonElement o, string name, Func<JsonElement, T> read)
    {
        if (Member(o, name) is not { } array)
        {
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(name, "an array", array);
        }
        var list = new List<T>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            list.Add(read(item));
        }
        return list;
    }

    private static void RequireObject(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(name, "an object", value);
        }
    }

    private static FormatException WrongType(string name, string expected, JsonElement value) =>
        new($"not a CNI result: {name} must be {expected}, not {value.ValueKind.ToString().ToLowerInvariant()}");

    private static void WriteString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteInt(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, List<string>? values) =>
        WriteList(w, name, values, (w, s) => w.WriteStringValue(s), asObjects: false);

    private static void WriteList<T>(Utf8JsonWriter w, string name, List<T>? items, Action<Utf8JsonWriter, T> write, bool asObjects = true)
    {
        if (items is null)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            if (asObjects)
            {
                w.WriteStartObject();
            }
            write(w, item);
            if (asObjects)
            {
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
    }
}
