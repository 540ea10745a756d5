using System.Text.Json;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// Reads a result of any supported version (prevResult, an IPAM reply) and writes one in the
/// version the runtime asked for. 0.3.0-0.4.0 differ from 1.0.0 only by ips[].version; 1.1.0
/// adds interface mtu/socketPath/pciID and route mtu/advmss/priority/table/scope, which older
/// versions drop.
/// </summary>
internal static class CniResultConverter
{
    /// <summary>Parses and checks a result; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CniResult Read(JsonElement json)
    {
        var result = CniResultJson.Read(json);
        var interfaces = result.Interfaces?.Count ?? 0;
        foreach (var ip in result.Ips ?? [])
        {
            if (!IpCidr.TryParse(ip.Address, out _))
            {
                throw new FormatException($"ips[].address '{ip.Address}' is not an address in CIDR form");
            }
            if (ip.Interface is { } index && (index < 0 || index >= interfaces))
            {
                throw new FormatException($"ips[].interface {index} points outside interfaces[] ({interfaces} entries)");
            }
            ip.Version = null;
        }
        return result;
    }

    /// <summary>A copy of <paramref name="result"/> in the format of spec <paramref name="version"/>.</summary>
    public static CniResult ConvertTo(CniResult result, string version)
    {
        ArgumentNullException.ThrowIfNull(result);
        var modern = CniVersions.HasVersion11Features(version);
        var versioned = CniVersions.HasIpVersionField(version);
        return new CniResult
        {
            CniVersion = version,
            Interfaces = result.Interfaces?.Select(i => new CniInterface
            {
                Name = i.Name,
                Mac = i.Mac,
                Sandbox = i.Sandbox,
                Mtu = modern ? i.Mtu : null,
                SocketPath = modern ? i.SocketPath : null,
                PciId = modern ? i.PciId : null,
            }).ToList(),
            Ips = result.Ips?.Select(ip => new CniIpConfig
            {
                Version = versioned ? FamilyOf(ip.Address) : null,
                Interface = ip.Interface,
                Address = ip.Address,
                Gateway = ip.Gateway,
            }).ToList(),
            Routes = result.Routes?.Select(r => new CniRoute
            {
                Dst = r.Dst,
                Gw = r.Gw,
                Mtu = modern ? r.Mtu : null,
                AdvMss = modern ? r.AdvMss : null,
                Priority = modern ? r.Priority : null,
                Table = modern ? r.Table : null,
                Scope = modern ? r.Scope : null,
            }).ToList(),
            Dns = result.Dns,
        };
    }

    public static byte[] Write(CniResult result, string version) => CniResultJson.Write(ConvertTo(result, version));

    private static string FamilyOf(string cidr) => IpCidr.Parse(cidr).IsIPv6 ? "6" : "4";
}
