using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RoutedNet.Ctl.Commands;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Agent;

/// <summary>
/// `policy status`: what one node's agent enforces in `table inet routednet`: the datastore
/// revision committed, endpoints programmed and pending, policies, the last programming latency
/// and the nf_tables batch and error counts; then what each policy in force matched (its rules'
/// kernel counters, the same as routednet_policy_packets_total): per policy and direction, per rule
/// with -o wide; and the drops no rule made (a tier's end, an unprogrammed interface) where any.
/// </summary>
internal static class PolicyStatusView
{
    /// <summary>The `policy` command with its `status` subcommand (other policy subcommands join it).</summary>
    public static Command Command(Option<string> socket)
    {
        var output = OutputOption.Create();
        var status = new Command("status", "What the node's agent enforces: datastore revision committed to nftables, endpoints programmed and pending, policies, last programming latency, and what each policy matched (-o wide: each rule)") { output };
        status.SetAction((parse, cancellationToken) => NodeCommands.RunAsync(parse.GetValue(socket)!, async connection =>
        {
            Console.Write(Render(await connection.GetPolicyStatusAsync(cancellationToken, counters: true).ConfigureAwait(false), parse.GetValue(output)));
            return 0;
        }));
        return new Command("policy", "Network policy as the node enforces it") { socket, status, PolicyDropsView.Command(socket) };
    }

    public static string Render(PolicyStatus status, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteString("table", status.Table);
            w.WriteNumber("enforcedRevision", status.EnforcedRevision);
            StructuredOutput.WriteStrings(w, "programmedEndpoints", status.ProgrammedEndpoints);
            StructuredOutput.WriteStrings(w, "pendingEndpoints", status.PendingEndpoints);
            w.WriteNumber("policies", status.Policies);
            w.WriteNumber("activePolicies", status.ActivePolicies);
            w.WriteNumber("lastProgrammingSeconds", status.LastProgrammingSeconds);
            w.WriteString("lastCommit", ApiText.IsoTime(status.LastCommit));
            w.WriteNumber("nftBatches", status.NftBatches);
            w.WriteNumber("nftErrors", status.NftErrors);
            w.WriteNumber("setElements", status.SetElements);
            w.WriteNumber("waitTimeouts", status.WaitTimeouts);
            WriteRuleCounters(w, status.RuleCounters);
            w.WriteStartArray("implicitDrops");
            foreach (var d in status.ImplicitDrops)
            {
                w.WriteStartObject();
                w.WriteString("tier", d.Tier);
                w.WriteString("direction", d.Direction);
                w.WriteString("reason", d.Reason);
                w.WriteNumber("packets", d.Packets);
                w.WriteNumber("bytes", d.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }),
        _ => RenderTable(status) + RenderCounters(status.RuleCounters, format == OutputFormat.Wide) + RenderImplicitDrops(status.ImplicitDrops),
    };

    // The drops no rule made, where there were any: a tier's end, an unprogrammed interface.
    private static string RenderImplicitDrops(IEnumerable<ImplicitDropCounter> drops)
    {
        var rows = drops.Where(d => d.Packets > 0).Select(d => (IReadOnlyList<string>)
        [
            d.Reason == "end-of-tier" ? $"end of tier {d.Tier}" : d.Reason.Replace('-', ' '), d.Direction, ApiText.Number(d.Packets), ApiText.Number(d.Bytes),
        ]).ToList();
        return rows.Count == 0 ? "" : "\n" + Table.Render(["DROPPED AT", "DIRECTION", "PACKETS", "BYTES"], rows);
    }

    /// <summary>"NAMESPACE/NAME" or NAME (global), as explain, drops and traces print a policy.</summary>
    private static string PolicyId(PolicyRuleCounter c) => c.Namespace.Length == 0 ? c.Name : c.Namespace + "/" + c.Name;

    private static void WriteRuleCounters(Utf8JsonWriter w, IEnumerable<PolicyRuleCounter> counters)
    {
        w.WriteStartArray("ruleCounters");
        foreach (var c in counters)
        {
            w.WriteStartObject();
            w.WriteString("policy", PolicyId(c));
            w.WriteString("namespace", c.Namespace);
            w.WriteString("name", c.Name);
            w.WriteString("tier", c.Tier);
            w.WriteString("direction", c.Direction);
            w.WriteNumber("rule", c.Rule);
            w.WriteString("action", c.Action);
            w.WriteNumber("packets", c.Packets);
            w.WriteNumber("bytes", c.Bytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // What each policy matched on this node: per policy and direction, or (wide) per rule. The
    // agent lists every rule of the policies in force, in policy, direction, rule order.
    private static string RenderCounters(IReadOnlyList<PolicyRuleCounter> counters, bool wide)
    {
        if (counters.Count == 0)
        {
            return "";
        }
        if (wide)
        {
            return "\n" + Table.Render(
                ["POLICY", "TIER", "DIRECTION", "RULE", "ACTION", "PACKETS", "BYTES"],
                [.. counters.Select(c => (IReadOnlyList<string>)
                [
                    PolicyId(c), c.Tier, c.Direction, ApiText.Number(c.Rule), c.Action, ApiText.Number(c.Packets), ApiText.Number(c.Bytes),
                ])]);
        }
        return "\n" + Table.Render(
            ["POLICY", "TIER", "DIRECTION", "RULES", "PACKETS", "BYTES"],
            [.. counters.GroupBy(c => (Policy: PolicyId(c), c.Tier, c.Direction)).Select(g => (IReadOnlyList<string>)
            [
                g.Key.Policy, g.Key.Tier, g.Key.Direction, ApiText.Number((ulong)g.Count()),
                ApiText.Number(g.Aggregate(0UL, (sum, c) => sum + c.Packets)), ApiText.Number(g.Aggregate(0UL, (sum, c) => sum + c.Bytes)),
            ])]);
    }

    private static string RenderTable(PolicyStatus status)
    {
        var b = new StringBuilder();
        b.Append("Table:              ").Append(status.Table).Append('\n');
        b.Append("Enforced revision:  ").Append(status.EnforcedRevision.ToString(CultureInfo.InvariantCulture)).Append('\n');
        b.Append("Endpoints:          ").Append(status.ProgrammedEndpoints.Count.ToString(CultureInfo.InvariantCulture)).Append(" programmed, ")
            .Append(status.PendingEndpoints.Count.ToString(CultureInfo.InvariantCulture)).Append(" pending").Append(status.PendingEndpoints.Count > 0 ? $" ({string.Join(", ", status.PendingEndpoints)})" : "").Append('\n');
        b.Append("Policies:           ").Append(ApiText.Number(status.Policies)).Append(", ").Append(ApiText.Number(status.ActivePolicies)).Append(" selecting a pod of this node\n");
        b.Append("Last programming:   ").Append((status.LastProgrammingSeconds * 1000).ToString("0.###", CultureInfo.InvariantCulture)).Append(" ms");
        if (status.LastCommit is not null)
        {
            b.Append(" (committed ").Append(ApiText.Time(status.LastCommit)).Append(" UTC)");
        }
        b.Append('\n');
        b.Append("nftables:           ").Append(ApiText.Number(status.NftBatches)).Append(" batches, ").Append(ApiText.Number(status.NftErrors)).Append(" errors, ")
            .Append(ApiText.Number(status.SetElements)).Append(" set elements\n");
        if (status.WaitTimeouts > 0)
        {
            b.Append("CNI waits timed out: ").Append(ApiText.Number(status.WaitTimeouts)).Append(" (those pods stayed closed until programmed)\n");
        }
        return b.ToString();
    }
}
