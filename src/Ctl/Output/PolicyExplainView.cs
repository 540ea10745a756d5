using System.Globalization;
using System.Text;
using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Policy;

namespace RoutedNet.Ctl.Output;

/// <summary>What `policy explain` prints: the flow, each side's tiers and deciding rule, the verdict; or the same as JSON/YAML.</summary>
internal static class PolicyExplainView
{
    public static string Render(Flow flow, PolicyVerdict verdict, OutputFormat format) => format switch
    {
        OutputFormat.Json or OutputFormat.Yaml => StructuredOutput.Format(format, w =>
        {
            w.WriteStartObject();
            w.WriteString("from", Name(flow.Source));
            w.WriteString("fromAddress", flow.Source.Address.ToString());
            w.WriteString("to", Name(flow.Destination));
            w.WriteString("toAddress", flow.Destination.Address.ToString());
            w.WriteString("protocol", Protocols.Name(flow.Protocol));
            if (flow.DestinationPort is { } port)
            {
                w.WriteNumber("port", port);
            }
            w.WriteBoolean("allowed", verdict.Allowed);
            Side(w, "egress", verdict.Egress);
            Side(w, "ingress", verdict.Ingress);
            w.WriteEndObject();
        }),
        _ => Text(flow, verdict),
    };

    private static void Side(Utf8JsonWriter w, string name, DirectionDecision? decision)
    {
        if (decision is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteString("endpoint", decision.Endpoint);
        w.WriteBoolean("allowed", decision.Allowed);
        w.WriteString("reason", decision.Reason switch
        {
            DecisionReason.Rule => "rule",
            DecisionReason.EndOfTier => "end-of-tier",
            DecisionReason.Passed => "passed",
            _ => "not-selected",
        });
        Optional(w, "tier", decision.Tier);
        Optional(w, "policy", decision.Policy);
        if (decision.RuleIndex is { } rule)
        {
            w.WriteNumber("rule", rule);
        }
        w.WriteString("explanation", decision.Describe());
        w.WriteStartArray("tiers");
        foreach (var tier in decision.Tiers)
        {
            w.WriteStartObject();
            w.WriteString("tier", tier.Tier);
            StructuredOutput.WriteStrings(w, "selectedBy", tier.SelectedBy);
            w.WriteString("outcome", tier.Outcome);
            Optional(w, "policy", tier.Policy);
            if (tier.RuleIndex is { } index)
            {
                w.WriteNumber("rule", index);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string Text(Flow flow, PolicyVerdict verdict)
    {
        var b = new StringBuilder();
        var port = flow.DestinationPort is { } p ? " port " + p.ToString(CultureInfo.InvariantCulture) : "";
        b.Append("Flow:     ").Append(Describe(flow.Source)).Append(" -> ").Append(Describe(flow.Destination))
            .Append(", ").Append(Protocols.Name(flow.Protocol)).Append(port).Append('\n');
        TextSide(b, "Egress at the source", flow.Source, verdict.Egress);
        TextSide(b, "Ingress at the destination", flow.Destination, verdict.Ingress);
        b.Append("Verdict:  ");
        if (verdict.Allowed)
        {
            b.Append("allowed\n");
        }
        else
        {
            var where = new List<string>();
            if (verdict.Egress is { Allowed: false } egress)
            {
                where.Add("egress at " + egress.Endpoint);
            }
            if (verdict.Ingress is { Allowed: false } ingress)
            {
                where.Add("ingress at " + ingress.Endpoint);
            }
            b.Append("denied (").Append(string.Join(" and ", where)).Append(")\n");
        }
        return b.ToString();
    }

    private static void TextSide(StringBuilder b, string title, FlowEnd end, DirectionDecision? decision)
    {
        b.Append(title).Append(' ').Append(Name(end)).Append(":\n");
        if (decision is null)
        {
            b.Append("  not a pod: nothing to evaluate on this side\n");
            return;
        }
        if (decision.Tiers.Count == 0)
        {
            b.Append("  no policy selects ").Append(decision.Endpoint).Append(" for ").Append(decision.Direction.ToString().ToLowerInvariant()).Append('\n');
        }
        foreach (var tier in decision.Tiers)
        {
            b.Append("  tier ").Append(tier.Tier).Append(": selected by ").Append(string.Join(", ", tier.SelectedBy)).Append(" -> ").Append(tier.Outcome);
            if (tier.Policy is not null)
            {
                b.Append(" (").Append(tier.Policy).Append(' ').Append(decision.Direction.ToString().ToLowerInvariant())
                    .Append(" rule ").Append(tier.RuleIndex?.ToString(CultureInfo.InvariantCulture)).Append(')');
            }
            b.Append('\n');
        }
        b.Append("  => ").Append(decision.Describe()).Append('\n');
    }

    private static string Name(FlowEnd end) => end.Endpoint?.Id ?? end.Address.ToString();

    private static string Describe(FlowEnd end) => end.Endpoint is null ? end.Address + " (not a pod)" : $"{end.Endpoint.Id} ({end.Address})";

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
