using System.Globalization;
using System.Text;
using System.Text.Json;
using RoutedNet.Ipam;
using RoutedNet.Ipam.Check;
using RoutedNet.Ipam.Usage;

namespace RoutedNet.Ctl.Output;

/// <summary>
/// What the `ipam` commands print, in every `-o` form: the table or lines for people, one JSON/YAML
/// tree for scripts (with everything: blocks and borrowed addresses are always in it).
/// </summary>
internal static class IpamViews
{
    public static string Usage(IReadOnlyList<PoolUsage> usage, OutputFormat format, bool showBlocks, bool showBorrowed) => CtlOutput.Format(
        format,
        w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("pools");
            foreach (var pool in usage)
            {
                w.WriteStartObject();
                w.WriteString("name", pool.Name);
                w.WriteString("cidr", pool.Cidr.ToString());
                WriteBig(w, "total", pool.Total);
                WriteBig(w, "inUse", pool.InUse);
                WriteBig(w, "free", pool.Free);
                w.WriteStartArray("blocks");
                foreach (var block in pool.Blocks)
                {
                    w.WriteStartObject();
                    w.WriteString("cidr", block.Cidr.ToString());
                    w.WriteString("owner", block.Owner);
                    w.WriteNumber("total", block.Total);
                    w.WriteNumber("inUse", block.InUse);
                    w.WriteNumber("free", block.Free);
                    w.WriteStartArray("borrowed");
                    foreach (var address in block.Borrowed)
                    {
                        WriteAddress(w, address);
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        },
        wide =>
        {
            var rows = new List<IReadOnlyList<string>>();
            foreach (var pool in usage)
            {
                rows.Add(["pool", pool.Name, pool.Cidr.ToString(), Num(pool.Total), Num(pool.InUse), Num(pool.Free), ""]);
                if (showBlocks || wide)
                {
                    rows.AddRange(pool.Blocks.Select(b => (IReadOnlyList<string>)["block", "", b.Cidr.ToString(), Num(b.Total), Num(b.InUse), Num(b.Free), b.Owner ?? "(none)"]));
                }
            }
            var text = new StringBuilder(Table.Render(["TYPE", "NAME", "CIDR", "TOTAL", "IN USE", "FREE", "OWNER"], rows));
            if (showBorrowed || wide)
            {
                var lent = usage.SelectMany(p => p.Blocks).SelectMany(b => b.Borrowed).ToList();
                text.Append('\n').Append(Table.Render(
                    ["ADDRESS", "BLOCK", "BLOCK OWNER", "BORROWER", "HANDLE"],
                    lent.Select(a => (IReadOnlyList<string>)[a.Address.ToString(), a.Block.ToString(), a.BlockOwner ?? "(none)", a.Attributes.GetValueOrDefault("node") ?? "", a.HandleId ?? ""]).ToList()));
            }
            return text.ToString();
        });

    /// <summary>`ipam show --ip`: who holds one address (null: nobody).</summary>
    public static string Address(System.Net.IPAddress address, AddressInfo? info, OutputFormat format) => CtlOutput.Format(
        format,
        w =>
        {
            if (info is null)
            {
                w.WriteStartObject();
                w.WriteString("address", address.ToString());
                w.WriteBoolean("allocated", false);
                w.WriteEndObject();
                return;
            }
            WriteAddress(w, info);
        },
        _ =>
        {
            if (info is null)
            {
                return $"{address} is not allocated\n";
            }
            var b = new StringBuilder($"{address} is allocated in block {info.Block} (owner {info.BlockOwner ?? "none"}) to handle {info.HandleId}\n");
            foreach (var (key, value) in info.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                b.Append("  ").Append(key).Append(": ").Append(value).Append('\n');
            }
            return b.ToString();
        });

    public static string Check(IpamCheckReport report, OutputFormat format) => CtlOutput.Format(
        format,
        w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("clean", report.IsClean);
            w.WriteNumber("blocks", report.Blocks);
            w.WriteNumber("handles", report.Handles);
            w.WriteNumber("allocations", report.Allocations);
            Agent.StructuredOutput.WriteStrings(w, "problems", report.Problems);
            w.WriteStartArray("leaked");
            foreach (var leak in report.Leaked)
            {
                w.WriteStartObject();
                w.WriteString("handle", leak.HandleId);
                Agent.StructuredOutput.WriteStrings(w, "addresses", leak.Addresses.Select(a => a.ToString()));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Agent.StructuredOutput.WriteStrings(w, "staleAffinities", report.StaleAffinities);
            Agent.StructuredOutput.WriteStrings(w, "interrupted", report.Interrupted);
            w.WriteEndObject();
        },
        _ =>
        {
            var b = new StringBuilder($"checked {report.Blocks} blocks, {report.Handles} handles, {report.Allocations} allocations\n");
            foreach (var problem in report.Problems)
            {
                b.Append("problem: ").Append(problem).Append('\n');
            }
            foreach (var leak in report.Leaked)
            {
                b.Append("leaked: handle ").Append(leak.HandleId).Append(" holds ").Append(string.Join(", ", leak.Addresses)).Append('\n');
            }
            foreach (var stale in report.StaleAffinities)
            {
                b.Append("stale: pending block affinity ").Append(stale).Append(" (ipam gc removes it)\n");
            }
            foreach (var interrupted in report.Interrupted)
            {
                b.Append("interrupted: ").Append(interrupted).Append('\n');
            }
            b.Append(report.IsClean ? "OK: no problems found" : $"FAILED: {report.Problems.Count} problem(s), {report.Leaked.Count} leaked handle(s), {report.StaleAffinities.Count} stale affinity(ies), {report.Interrupted.Count} interrupted write(s)").Append('\n');
            return b.ToString();
        });

    public static string Released(System.Net.IPAddress address, string handle, OutputFormat format) => CtlOutput.Format(
        format,
        w =>
        {
            w.WriteStartObject();
            w.WriteString("address", address.ToString());
            w.WriteString("handle", handle);
            w.WriteEndObject();
        },
        _ => $"released {address} (handle {handle})\n");

    public static string Collected(IReadOnlyList<string> released, Ipam.Gc.GcScope scope, OutputFormat format) => CtlOutput.Format(
        format,
        w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("scope");
            w.WriteString("node", scope.Node);
            w.WriteString("network", scope.Network);
            w.WriteEndObject();
            Agent.StructuredOutput.WriteStrings(w, "released", released);
            w.WriteEndObject();
        },
        _ => string.Concat(released.Select(h => $"released handle {h}\n")) + $"{released.Count} handle(s) released ({scope})\n");

    public static string Config(Datastore.Resources.IPAMConfigSpec spec, OutputFormat format) => CtlOutput.Format(
        format,
        w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("strictAffinity", spec.StrictAffinity);
            w.WriteNumber("maxBlocksPerHost", spec.MaxBlocksPerHost);
            w.WriteNumber("releaseCooldownSeconds", spec.ReleaseCooldownSeconds);
            w.WriteEndObject();
        },
        _ => $"strictAffinity: {(spec.StrictAffinity ? "true" : "false")}, maxBlocksPerHost: {spec.MaxBlocksPerHost}, releaseCooldownSeconds: {spec.ReleaseCooldownSeconds}\n");

    private static void WriteAddress(Utf8JsonWriter w, AddressInfo a)
    {
        w.WriteStartObject();
        w.WriteString("address", a.Address.ToString());
        w.WriteBoolean("allocated", true);
        w.WriteString("block", a.Block.ToString());
        w.WriteString("blockOwner", a.BlockOwner);
        w.WriteString("handle", a.HandleId);
        w.WriteStartObject("attributes");
        foreach (var (key, value) in a.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteString(key, value);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // Pool sizes are UInt128 (an IPv6 /64 has 2^64 addresses): JSON numbers have no size limit.
    private static void WriteBig(Utf8JsonWriter w, string name, UInt128 n)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(Num(n));
    }

    private static string Num(UInt128 n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
