using System.Net;
using System.Net.Sockets;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Selectors;
using RoutedNet.Felix.PolicyDrops;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// One policy rule as nftables rules in its policy's shared chain: every match of the rule in one
/// nft rule, split into several where the rule is an "or" (IPv4 and IPv6; each entry of ports),
/// ending in the action: Allow sets the ACCEPT mark bit and returns, Deny drops, Pass sets the PASS
/// bit and returns, Log logs (rate-limited, NFLOG group 7) and goes on. Selectors, named ports and
/// CIDR lists become set lookups (<see cref="PolicySets"/>); the comment names the policy and rule
/// ("ns/name#i0": ingress rule 0), which trace and metrics map back. Matching follows the model
/// (RoutedNet.Policy: CompiledEntity/CompiledRule); the renderer tests hold the two together.
/// The policy loop keeps one renderer across calculations (<see cref="Use"/>): the selector scopes
/// it handed to the sets read the current snapshot's namespaces.
/// </summary>
internal sealed class RuleRenderer(PolicySnapshot snapshot, PolicySets sets)
{
    public const ushort LogGroup = PolicyDropRecorder.Group;

    private readonly Dictionary<string, Selector> _selectors = new(StringComparer.Ordinal);
    private PolicySnapshot _snapshot = snapshot;
    private PolicySets _sets = sets;

    /// <summary>Renders for another calculation from now on.</summary>
    public void Use(PolicySnapshot snapshot, PolicySets sets)
    {
        _snapshot = snapshot;
        _sets = sets;
    }

    public IEnumerable<NftRule> Render(string chain, PolicyDefinition policy, PolicyRule rule, int index, bool ingress)
    {
        var comment = Comment(policy.Id, ingress, index);
        Protocols.TryParse(rule.Protocol, out var protocol);
        Protocols.TryParse(rule.NotProtocol, out var notProtocol);
        var families = Families(rule, protocol);
        foreach (var family in families)
        {
            // In the order nft itself generates for the rule's text, so that `nft list` and `nft -f`
            // of it give these bytes back: the family once, the address matches, then the protocol
            // with ICMP fields and ports.
            var source = Entity(rule.Source, policy.Namespace, family, source: true);
            var destination = Entity(rule.Destination, policy.Namespace, family, source: false);
            if (source is null || destination is null)
            {
                continue; // this family cannot match (nets of the other family only)
            }
            var common = new List<NftExpression>();
            if (family is { } f)
            {
                common.AddRange(NftRules.Family(f));
            }
            common.AddRange(source.Value.Matches);
            common.AddRange(destination.Value.Matches);
            if (protocol != 0)
            {
                common.AddRange(NftRules.Protocol((byte)protocol));
            }
            if (notProtocol != 0)
            {
                common.AddRange(NftRules.Protocol((byte)notProtocol, negate: true));
            }
            if (rule.Icmp is { Type: { } type } icmp)
            {
                // Type and code are adjacent bytes: nft compares them as one 2-byte field.
                common.AddRange(icmp.Code is { } code
                    ? [NftExpression.PayloadLoad(NftPayloadBase.Transport, 0, 2), NftExpression.Compare(NftCompareOp.Equal, [(byte)type, (byte)code])]
                    : IcmpField(0, (byte)type));
            }
            foreach (var notIcmp in NotIcmp(rule.NotICMP))
            {
                foreach (var sourcePorts in source.Value.PortVariants)
                {
                    foreach (var destinationPorts in destination.Value.PortVariants)
                    {
                        NftExpression[] matches = [.. common, .. notIcmp, .. sourcePorts, .. destinationPorts];
                        if (rule.Action == PolicyRule.ActionDeny)
                        {
                            // `policy drops` names this rule: the drop is logged (rate-limited) by a rule of its own first.
                            yield return new NftRule(PolicyTable.Name, chain, [.. matches, .. DropLogRule.Expressions(ingress ? DropDirection.Ingress : DropDirection.Egress, DropReason.Rule, comment)], comment);
                        }
                        yield return new NftRule(PolicyTable.Name, chain, [.. matches, .. Action(rule.Action)], comment);
                    }
                }
            }
        }
    }

    /// <summary>"ID#i0" (ingress rule 0) or "ID#e2", cut to nft's 127 comment bytes.</summary>
    public static string Comment(string policyId, bool ingress, int index) => PolicyRuleId.Format(policyId, ingress, index);

    private static NftExpression[] Action(string action) => action switch
    {
        PolicyRule.ActionAllow => [NftExpression.Counter(), .. NftRules.SetMark(PolicyTable.AcceptMark), NftExpression.Verdict(NftVerdict.Return)],
        PolicyRule.ActionDeny => [NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop)],
        PolicyRule.ActionPass => [NftExpression.Counter(), .. NftRules.SetMark(PolicyTable.PassMark), NftExpression.Verdict(NftVerdict.Return)],
        // Log counts every packet it matched, then logs at most 10 a second of them and goes on.
        _ => [NftExpression.Counter(), NftExpression.Limit(10), NftExpression.LogGroup(LogGroup)],
    };

    // The families a rule needs its own nft rule for: both when it matches addresses (nets,
    // selectors, named ports), none (null: one family-free rule) when it matches only ports or
    // protocols. ICMP is IPv4 only and ICMPv6 IPv6 only.
    private static List<AddressFamily?> Families(PolicyRule rule, int protocol)
    {
        var v4 = rule.IpVersion is null or 4 && protocol != Protocols.IcmpV6;
        var v6 = rule.IpVersion is null or 6 && protocol != Protocols.Icmp;
        var addressed = rule.IpVersion is not null || Addressed(rule.Source) || Addressed(rule.Destination);
        if (!addressed && v4 && v6)
        {
            return [null];
        }
        var families = new List<AddressFamily?>();
        if (v4)
        {
            families.Add(AddressFamily.InterNetwork);
        }
        if (v6)
        {
            families.Add(AddressFamily.InterNetworkV6);
        }
        return families;
    }

    private static bool Addressed(EntityRule? entity) =>
        entity is not null
        && (entity.Nets is { Count: > 0 } || entity.NotNets is { Count: > 0 } || entity.Selector is not null || entity.NotSelector is not null
            || entity.NamespaceSelector is not null || entity.ServiceAccounts is not null
            || (entity.Ports ?? []).Concat(entity.NotPorts ?? []).Any(p => p.StringValue is { } s && !char.IsAsciiDigit(s.FirstOrDefault())));

    private static NftExpression[] IcmpField(uint offset, byte value) =>
        [NftExpression.PayloadLoad(NftPayloadBase.Transport, offset, 1), NftExpression.Compare(NftCompareOp.Equal, [value])];

    // notICMP {type, code}: anything but that type, or that type with another code.
    private static List<NftExpression[]> NotIcmp(IcmpFields? notIcmp)
    {
        if (notIcmp is not { Type: { } type })
        {
            return [[]];
        }
        var otherType = new[] { NftExpression.PayloadLoad(NftPayloadBase.Transport, 0, 1), NftExpression.Compare(NftCompareOp.NotEqual, [(byte)type]) };
        if (notIcmp.Code is not { } code)
        {
            return [otherType];
        }
        return [otherType, [.. IcmpField(0, (byte)type), NftExpression.PayloadLoad(NftPayloadBase.Transport, 1, 1), NftExpression.Compare(NftCompareOp.NotEqual, [(byte)code])]];
    }

    private readonly record struct RenderedEntity(List<NftExpression> Matches, List<NftExpression[]> PortVariants);

    // One end of the rule for one family (null family: a family-free rule, ports only); null when
    // the end cannot match in this family.
    private RenderedEntity? Entity(EntityRule? entity, string? policyNamespace, AddressFamily? family, bool source)
    {
        if (entity is null)
        {
            return new RenderedEntity([], [[]]);
        }
        var matches = new List<NftExpression>();
        if (family is { } f)
        {
            var nets = Networks(entity.Nets, f);
            if (entity.Nets is { Count: > 0 })
            {
                if (nets.Count == 0)
                {
                    return null;
                }
                matches.AddRange(NftRules.AddressLookup(f, source, _sets.Networks(f, nets)));
            }
            var notNets = Networks(entity.NotNets, f);
            if (notNets.Count > 0)
            {
                matches.AddRange(NftRules.AddressLookup(f, source, _sets.Networks(f, notNets), negate: true));
            }
            if (entity.Selector is not null || entity.NamespaceSelector is not null || entity.ServiceAccounts is not null)
            {
                var key = ScopeKey(entity, policyNamespace);
                matches.AddRange(NftRules.AddressLookup(f, source, _sets.Addresses(f, key, e => InScope(entity, policyNamespace, e))));
            }
            if (entity.NotSelector is { } notSelector)
            {
                var selector = Compile(notSelector);
                matches.AddRange(NftRules.AddressLookup(f, source, _sets.Addresses(f, "not|" + notSelector, e => selector.Matches(e.SelectorLabels)), negate: true));
            }
        }
        var variants = new List<NftExpression[]>();
        foreach (var port in entity.Ports ?? [])
        {
            variants.Add(Port(port, family, source, negate: false));
        }
        if (variants.Count == 0)
        {
            variants.Add([]);
        }
        var notPorts = (entity.NotPorts ?? []).SelectMany(p => Port(p, family, source, negate: true)).ToArray();
        return new RenderedEntity(matches, variants.Select(v => (NftExpression[])[.. v, .. notPorts]).ToList());
    }

    private NftExpression[] Port(IntOrString port, AddressFamily? family, bool source, bool negate)
    {
        var offset = source ? 0u : 2u;
        if (port.IntValue is { } number)
        {
            return PortRange(offset, (ushort)number, (ushort)number, negate);
        }
        var text = port.StringValue ?? "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            return PortRange(offset, ushort.Parse(text.AsSpan(0, colon), provider: System.Globalization.CultureInfo.InvariantCulture), ushort.Parse(text.AsSpan(colon + 1), provider: System.Globalization.CultureInfo.InvariantCulture), negate);
        }
        if (ushort.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var single))
        {
            return PortRange(offset, single, single, negate);
        }
        // A named port: this end's address, the protocol and the port together in the endpoint's named-port set.
        var f = family ?? AddressFamily.InterNetwork;
        var set = _sets.NamedPort(f, text);
        var protocolRegister = f == AddressFamily.InterNetwork ? 9u : 12u;
        return
        [
            NftRules.LoadAddress(f, source),
            NftExpression.MetaLoad(NftMetaKey.Layer4Protocol, register: protocolRegister),
            NftExpression.PayloadLoad(NftPayloadBase.Transport, offset, 2, register: protocolRegister + 1),
            NftExpression.Lookup(set, invert: negate),
        ];
    }

    private static NftExpression[] PortRange(uint offset, ushort first, ushort last, bool negate)
    {
        var load = NftExpression.PayloadLoad(NftPayloadBase.Transport, offset, 2);
        if (first == last)
        {
            return [load, NftExpression.Compare(negate ? NftCompareOp.NotEqual : NftCompareOp.Equal, NftRules.Port(first))];
        }
        return negate
            ? [load, NftExpression.Range(NftRules.Port(first), NftRules.Port(last), negate: true)]
            : [load, NftExpression.Compare(NftCompareOp.GreaterOrEqual, NftRules.Port(first)), NftExpression.Compare(NftCompareOp.LessOrEqual, NftRules.Port(last))];
    }

    private static List<IPNetwork> Networks(IReadOnlyList<string>? texts, AddressFamily family) =>
        (texts ?? []).Select(t => Nets.TryParse(t, out var n) ? n : (IPNetwork?)null).OfType<IPNetwork>().Where(n => n.BaseAddress.AddressFamily == family).ToList();

    // What defines a selector scope: the namespace it looks in (the policy's own, or a
    // namespaceSelector, or every namespace), the selector and the service accounts.
    private static string ScopeKey(EntityRule entity, string? policyNamespace) =>
        $"ns={(entity.NamespaceSelector is { } nsSelector ? "sel:" + nsSelector : "own:" + policyNamespace)}|sel={entity.Selector}|sa={string.Join(',', entity.ServiceAccounts?.Names ?? [])}|sasel={entity.ServiceAccounts?.Selector}";

    // The model's scope of a selector end (CompiledEntity.InScope).
    private bool InScope(EntityRule entity, string? policyNamespace, PolicyEndpoint endpoint)
    {
        if (entity.NamespaceSelector is { } nsSelector)
        {
            if (!Compile(nsSelector).Matches(_snapshot.NamespaceLabels(endpoint.Namespace)))
            {
                return false;
            }
        }
        else if (policyNamespace is not null && endpoint.Namespace != policyNamespace)
        {
            return false;
        }
        if (entity.Selector is { } selector && !Compile(selector).Matches(endpoint.SelectorLabels))
        {
            return false;
        }
        if (entity.ServiceAccounts is { } accounts)
        {
            if (accounts.Names is { Count: > 0 } names && (endpoint.ServiceAccount is null || !names.Contains(endpoint.ServiceAccount)))
            {
                return false;
            }
            if (accounts.Selector is { } saSelector && !Compile(saSelector).Matches(PolicySnapshot.ServiceAccountLabels(endpoint.ServiceAccount)))
            {
                return false;
            }
        }
        return true;
    }

    private Selector Compile(string text)
    {
        if (!_selectors.TryGetValue(text, out var selector))
        {
            selector = Selector.Parse(text);
            _selectors[text] = selector;
        }
        return selector;
    }
}
