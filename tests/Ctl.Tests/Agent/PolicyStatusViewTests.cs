using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

/// <summary>`policy status`: what each policy matched, per policy and direction, per rule with -o wide, and in the JSON beside the fields scripts already read.</summary>
public class PolicyStatusViewTests
{
    private static PolicyStatus Status()
    {
        var status = new PolicyStatus { Table = "inet routednet", EnforcedRevision = 42, Policies = 2, ActivePolicies = 2, NftBatches = 5 };
        status.ProgrammedEndpoints.Add("rn0a1b2c3d4e5");
        status.RuleCounters.Add(
        [
            new PolicyRuleCounter { Tier = "default", Namespace = "x", Name = "allow-web", Direction = "ingress", Rule = 0, Action = "allow", Packets = 3, Bytes = 252 },
            new PolicyRuleCounter { Tier = "default", Namespace = "x", Name = "allow-web", Direction = "ingress", Rule = 1, Action = "deny", Packets = 2, Bytes = 168 },
            new PolicyRuleCounter { Tier = "admin", Name = "deny-z", Direction = "egress", Rule = 0, Action = "deny", Packets = 0, Bytes = 0 },
        ]);
        status.ImplicitDrops.Add(
        [
            new ImplicitDropCounter { Tier = "default", Direction = "ingress", Reason = "end-of-tier", Packets = 4, Bytes = 336 },
            new ImplicitDropCounter { Tier = "admin", Direction = "ingress", Reason = "end-of-tier" },
            new ImplicitDropCounter { Direction = "egress", Reason = "unknown-endpoint", Packets = 1, Bytes = 84 },
        ]);
        return status;
    }

    [Fact]
    public void Render_Table_PacketsAndBytesPerPolicyAndDirection()
    {
        var lines = PolicyStatusView.Render(Status(), OutputFormat.Table).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("Enforced revision:  42", StringComparison.Ordinal));
        var header = Array.FindIndex(lines, l => l.StartsWith("POLICY", StringComparison.Ordinal));
        Assert.Matches(@"^POLICY\s+TIER\s+DIRECTION\s+RULES\s+PACKETS\s+BYTES$", lines[header]);
        Assert.Matches(@"^x/allow-web\s+default\s+ingress\s+2\s+5\s+420$", lines[header + 1]);
        Assert.Matches(@"^deny-z\s+admin\s+egress\s+1\s+0\s+0$", lines[header + 2]);
    }

    [Fact]
    public void Render_Table_ImplicitDropsWhereThereWereAny()
    {
        var lines = PolicyStatusView.Render(Status(), OutputFormat.Table).Split('\n');

        var header = Array.FindIndex(lines, l => l.StartsWith("DROPPED AT", StringComparison.Ordinal));
        Assert.Matches(@"^DROPPED AT\s+DIRECTION\s+PACKETS\s+BYTES$", lines[header]);
        Assert.Matches(@"^end of tier default\s+ingress\s+4\s+336$", lines[header + 1]);
        Assert.Matches(@"^unknown endpoint\s+egress\s+1\s+84$", lines[header + 2]);
        Assert.Equal("", lines[header + 3]);
    }

    [Fact]
    public void Render_Wide_OneRowPerRuleWithItsAction()
    {
        var lines = PolicyStatusView.Render(Status(), OutputFormat.Wide).Split('\n');

        var header = Array.FindIndex(lines, l => l.StartsWith("POLICY", StringComparison.Ordinal));
        Assert.Matches(@"^POLICY\s+TIER\s+DIRECTION\s+RULE\s+ACTION\s+PACKETS\s+BYTES$", lines[header]);
        Assert.Matches(@"^x/allow-web\s+default\s+ingress\s+0\s+allow\s+3\s+252$", lines[header + 1]);
        Assert.Matches(@"^x/allow-web\s+default\s+ingress\s+1\s+deny\s+2\s+168$", lines[header + 2]);
    }

    [Fact]
    public void Render_NothingCounted_NoCounterTables()
    {
        var status = Status();
        status.RuleCounters.Clear();
        status.ImplicitDrops.Clear();

        var text = PolicyStatusView.Render(status, OutputFormat.Table);
        Assert.DoesNotContain("POLICY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("DROPPED AT", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Json_ExistingFieldsKept_RuleCountersAndImplicitDropsAdded()
    {
        using var json = JsonDocument.Parse(PolicyStatusView.Render(Status(), OutputFormat.Json));
        var root = json.RootElement;

        Assert.Equal(
            ["table", "enforcedRevision", "programmedEndpoints", "pendingEndpoints", "policies", "activePolicies", "lastProgrammingSeconds", "lastCommit", "nftBatches", "nftErrors", "setElements", "waitTimeouts", "ruleCounters", "implicitDrops"],
            root.EnumerateObject().Select(p => p.Name));
        var first = root.GetProperty("ruleCounters")[0];
        Assert.Equal(
            """{"policy":"x/allow-web","namespace":"x","name":"allow-web","tier":"default","direction":"ingress","rule":0,"action":"allow","packets":3,"bytes":252}""",
            JsonSerializer.Serialize(first));
        Assert.Equal("deny-z", root.GetProperty("ruleCounters")[2].GetProperty("policy").GetString());
        Assert.Equal(
            """{"tier":"","direction":"egress","reason":"unknown-endpoint","packets":1,"bytes":84}""",
            JsonSerializer.Serialize(root.GetProperty("implicitDrops")[2]));
    }
}
