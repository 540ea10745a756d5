using RoutedNet.Felix.PolicyDrops;
using RoutedNet.Datastore.Resources;
using RoutedNet.Netlink.Nftables;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The fixed part of `table inet routednet` (lab notes netpol §6, docs/DESIGN.md "Contracts"):
/// base chains on forward and input at priority filter - 5, a dispatch on the workload interface
/// name through the verdict maps wl-from / wl-to, and a drop for every `rn*` interface the maps do
/// not know, so a pod the agent has not programmed yet gets nothing either way (fail closed); the
/// tiers' end-of-tier drops, one shared chain per tier and direction; ahead of the established
/// accept, the drop of flows a policy change revoked (their conntrack entries carry
/// <see cref="RevokedMark"/>). The output hook is left alone: the node always reaches its own pods
/// (kubelet probes).
/// </summary>
public static class PolicyTable
{
    public const string Name = "routednet";

    public const string Forward = "forward";
    public const string Input = "input";
    public const string FromWorkload = "from-wl";
    public const string ToWorkload = "to-wl";
    public const string FromMap = "wl-from";
    public const string ToMap = "wl-to";

    /// <summary>Priority filter - 5: ahead of filter-priority chains of other tables (Calico's choice too).</summary>
    public const int Priority = -5;

    public const string UnknownInterface = "unknown workload interface";

    /// <summary>Mark bit a policy chain sets for Allow (the verdict travels up two chain levels).</summary>
    public const uint AcceptMark = 0x10000;

    /// <summary>Mark bit a policy chain sets for Pass (skip the rest of the tier).</summary>
    public const uint PassMark = 0x20000;

    /// <summary>
    /// The ct mark bit of a flow that a policy change refused after it was established. The entry
    /// is kept and marked rather than deleted: a deleted entry is made again by the flow's next
    /// packet from the side policy still lets out (a server's late answer, which the other node
    /// lets in as the reply of its own entry), and the flow would be open again the other way round.
    /// A marked entry catches both directions until it times out or policy allows it again.
    /// </summary>
    public const uint RevokedMark = 0x100000;

    public const string RevokedComment = "established flow revoked by a policy change";

    /// <summary>Every interface the CNI plugin makes: `iifname "rn*"`.</summary>
    public static string WorkloadPrefix => WorkloadEndpointSpec.HostInterfacePrefix + "*";

    /// <summary>The egress chain of one endpoint (traffic from the pod).</summary>
    public static string FromChain(string hostInterface) => "fw-" + hostInterface;

    /// <summary>The ingress chain of one endpoint (traffic to the pod).</summary>
    public static string ToChain(string hostInterface) => "tw-" + hostInterface;

    /// <summary>
    /// The shared chain a tier's end jumps to (goto) from every endpoint chain: its one rule is the
    /// drop, so its counter counts the tier's end-of-tier drops on this node exactly, whichever
    /// pods come and go (endpoint chains are rewritten with them, this chain never is).
    /// </summary>
    public static string EndOfTierChain(string tier, bool ingress) => $"tier-end-{tier}-{(ingress ? 'i' : 'e')}";

    /// <summary>Where packets of revoked flows are dropped: egress (from a pod) or ingress (to one).</summary>
    public static string RevokedChain(bool ingress) => ingress ? "revoked-i" : "revoked-e";

    /// <summary>The comment of a tier's end: its drop-log rule, the goto and the drop.</summary>
    public static string EndOfTierComment(string tier) => $"tier {tier}: selected, no rule decided";

    /// <summary>The base chains, dispatch chains and the two maps (<see cref="Maps"/>).</summary>
    public static void AddSkeleton(Dictionary<string, DesiredChain> chains, Dictionary<string, DesiredSet> sets, EndpointMaps maps)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(maps);
        sets[FromMap] = maps.From;
        sets[ToMap] = maps.To;
        foreach (var (name, chain) in FixedChains)
        {
            chains[name] = chain;
        }
    }

    /// <summary>The verdict maps wl-from / wl-to with an element per programmed interface, to its endpoint chain.</summary>
    public static EndpointMaps Maps(IReadOnlyList<string> programmedInterfaces)
    {
        ArgumentNullException.ThrowIfNull(programmedInterfaces);
        return new EndpointMaps(
            programmedInterfaces,
            DesiredSet.Of(
                new NftSet(Name, FromMap, [NftDataType.InterfaceName], IsVerdictMap: true),
                programmedInterfaces.Select(i => new NftSetElement(NftRules.InterfaceKey(i), Verdict: NftVerdict.Goto(FromChain(i))))),
            DesiredSet.Of(
                new NftSet(Name, ToMap, [NftDataType.InterfaceName], IsVerdictMap: true),
                programmedInterfaces.Select(i => new NftSetElement(NftRules.InterfaceKey(i), Verdict: NftVerdict.Goto(ToChain(i))))));
    }

    /// <summary>The two dispatch maps and the interfaces (in ordinal order) they were made for.</summary>
    public sealed record EndpointMaps(IReadOnlyList<string> Interfaces, DesiredSet From, DesiredSet To);

    // The chains that never depend on the node's endpoints, made once: every calculation hands the
    // very same objects to the diff, which then compares them by reference (made again each time,
    // each new rule was described as text to be compared, a large share of a pass's allocations).
    private static readonly IReadOnlyDictionary<string, DesiredChain> FixedChains = MakeFixedChains();

    private static Dictionary<string, DesiredChain> MakeFixedChains()
    {
        var chains = new Dictionary<string, DesiredChain>(StringComparer.Ordinal);
        const uint Invalid = 1, Established = 2, Related = 4;
        chains[Forward] = new DesiredChain(new NftChain(Name, Forward, NftHook.Forward, Priority, NftVerdict.Accept),
        [
            Rule(Forward, [.. NftRules.InputInterface(WorkloadPrefix), .. NftExpression.CtMarkHas(RevokedMark), NftExpression.Verdict(NftVerdict.Goto(RevokedChain(ingress: false)))]),
            Rule(Forward, [.. NftExpression.CtMarkHas(RevokedMark), NftExpression.Verdict(NftVerdict.Goto(RevokedChain(ingress: true)))]),
            Rule(Forward, [.. NftExpression.CtStateIn(Established | Related), NftExpression.Verdict(NftVerdict.Accept)]),
            // Only workload traffic: the node may route other traffic that conntrack finds invalid
            // (asymmetric paths), and that was never ours to judge.
            Rule(Forward, [.. NftRules.InputInterface(WorkloadPrefix), .. NftExpression.CtStateIn(Invalid), NftExpression.Verdict(NftVerdict.Drop)]),
            Rule(Forward, [.. NftRules.OutputInterface(WorkloadPrefix), .. NftExpression.CtStateIn(Invalid), NftExpression.Verdict(NftVerdict.Drop)]),
            Rule(Forward, [.. NftRules.InputInterface(WorkloadPrefix), NftExpression.Verdict(NftVerdict.Jump(FromWorkload))]),
            Rule(Forward, [.. NftRules.OutputInterface(WorkloadPrefix), NftExpression.Verdict(NftVerdict.Jump(ToWorkload))]),
        ]);
        chains[Input] = new DesiredChain(new NftChain(Name, Input, NftHook.Input, Priority, NftVerdict.Accept),
        [
            Rule(Input, [.. NftRules.InputInterface(WorkloadPrefix), .. NftExpression.CtMarkHas(RevokedMark), NftExpression.Verdict(NftVerdict.Goto(RevokedChain(ingress: false)))]),
            Rule(Input, [.. NftExpression.CtStateIn(Established | Related), NftExpression.Verdict(NftVerdict.Accept)]),
            // IPv6 neighbour discovery with the node (the pod's gateway) is never policy's business.
            Rule(Input, [.. NftRules.InputInterface(WorkloadPrefix), .. NftRules.Icmpv6Type(133), NftExpression.Verdict(NftVerdict.Accept)]),
            Rule(Input, [.. NftRules.InputInterface(WorkloadPrefix), .. NftRules.Icmpv6Type(135), NftExpression.Verdict(NftVerdict.Accept)]),
            Rule(Input, [.. NftRules.InputInterface(WorkloadPrefix), .. NftRules.Icmpv6Type(136), NftExpression.Verdict(NftVerdict.Accept)]),
            Rule(Input, [.. NftRules.InputInterface(WorkloadPrefix), NftExpression.Verdict(NftVerdict.Jump(FromWorkload))]),
        ]);
        chains[FromWorkload] = new DesiredChain(new NftChain(Name, FromWorkload),
        [
            Rule(FromWorkload, [NftExpression.MetaLoad(NftMetaKey.InputInterfaceName), NftExpression.Lookup(FromMap, destinationRegister: 0)]),
            Rule(FromWorkload, DropLogRule.Expressions(DropDirection.Egress, DropReason.UnknownEndpoint, ""), UnknownInterface),
            Rule(FromWorkload, [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], UnknownInterface),
        ]);
        chains[ToWorkload] = new DesiredChain(new NftChain(Name, ToWorkload),
        [
            Rule(ToWorkload, [NftExpression.MetaLoad(NftMetaKey.OutputInterfaceName), NftExpression.Lookup(ToMap, destinationRegister: 0)]),
            Rule(ToWorkload, DropLogRule.Expressions(DropDirection.Ingress, DropReason.UnknownEndpoint, ""), UnknownInterface),
            Rule(ToWorkload, [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], UnknownInterface),
        ]);
        foreach (var ingress in new[] { false, true })
        {
            var chain = RevokedChain(ingress);
            chains[chain] = new DesiredChain(new NftChain(Name, chain),
            [
                Rule(chain, DropLogRule.Expressions(ingress ? DropDirection.Ingress : DropDirection.Egress, DropReason.Revoked, ""), RevokedComment),
                Rule(chain, [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], RevokedComment),
            ]);
        }
        foreach (var tier in PolicySpec.Tiers)
        {
            foreach (var ingress in new[] { false, true })
            {
                var chain = EndOfTierChain(tier, ingress);
                chains[chain] = new DesiredChain(new NftChain(Name, chain), [Rule(chain, [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)], EndOfTierComment(tier))]);
            }
        }
        return chains;
    }

    private static NftRule Rule(string chain, NftExpression[] expressions, string? comment = null) => new(Name, chain, expressions, comment);
}
