using System.Net.Sockets;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>One rule compiled for matching; construction validates it (<see cref="ResourceValidationException"/> naming the field).</summary>
internal sealed class CompiledRule
{
    private readonly int _ipVersion;
    private readonly int _protocol;
    private readonly int _notProtocol;
    private readonly IcmpFields? _icmp;
    private readonly IcmpFields? _notIcmp;
    private readonly CompiledEntity? _source;
    private readonly CompiledEntity? _destination;

    public CompiledRule(PolicyRule rule, int index, string? policyNamespace, string field)
    {
        Index = index;
        Action = rule.Action switch
        {
            PolicyRule.ActionAllow => RuleAction.Allow,
            PolicyRule.ActionDeny => RuleAction.Deny,
            PolicyRule.ActionPass => RuleAction.Pass,
            PolicyRule.ActionLog => RuleAction.Log,
            _ => throw new ResourceValidationException($"{field}.action \"{rule.Action}\" must be one of {string.Join(", ", PolicyRule.Actions)}"),
        };
        _ipVersion = rule.IpVersion switch
        {
            null => 0,
            4 or 6 => rule.IpVersion.Value,
            _ => throw new ResourceValidationException($"{field}.ipVersion {rule.IpVersion} must be 4 or 6"),
        };
        _protocol = Protocol(rule.Protocol, $"{field}.protocol");
        _notProtocol = Protocol(rule.NotProtocol, $"{field}.notProtocol");
        _icmp = Icmp(rule.Icmp, $"{field}.icmp");
        _notIcmp = Icmp(rule.NotICMP, $"{field}.notICMP");
        if ((_icmp is not null || _notIcmp is not null) && _protocol is not (Protocols.Icmp or Protocols.IcmpV6))
        {
            throw new ResourceValidationException($"{field}: icmp and notICMP need protocol ICMP or ICMPv6");
        }
        _source = rule.Source is null ? null : new CompiledEntity(rule.Source, policyNamespace, $"{field}.source");
        _destination = rule.Destination is null ? null : new CompiledEntity(rule.Destination, policyNamespace, $"{field}.destination");
        // Calico's rule: ports only make sense for a protocol that has them, so one must be given.
        if ((_source?.HasPorts == true || _destination?.HasPorts == true) && !Protocols.HasPorts(_protocol))
        {
            throw new ResourceValidationException($"{field}: ports and notPorts need protocol TCP, UDP, SCTP or UDPLite");
        }
    }

    public int Index { get; }

    public RuleAction Action { get; }

    public bool Matches(Flow flow, PolicySnapshot snapshot)
    {
        if (_ipVersion != 0 && _ipVersion != (flow.Source.Address.AddressFamily == AddressFamily.InterNetwork ? 4 : 6))
        {
            return false;
        }
        if ((_protocol != 0 && flow.Protocol != _protocol) || (_notProtocol != 0 && flow.Protocol == _notProtocol))
        {
            return false;
        }
        if (_icmp is not null && !IcmpMatches(_icmp, flow))
        {
            return false;
        }
        if (_notIcmp is not null && IcmpMatches(_notIcmp, flow))
        {
            return false;
        }
        return (_source is null || _source.Matches(flow.Source, flow.SourcePort, flow.Protocol, snapshot))
            && (_destination is null || _destination.Matches(flow.Destination, flow.DestinationPort, flow.Protocol, snapshot));
    }

    private static bool IcmpMatches(IcmpFields icmp, Flow flow) =>
        flow.IcmpType == icmp.Type && (icmp.Code is null || flow.IcmpCode == icmp.Code);

    private static int Protocol(IntOrString? value, string field) =>
        value is null ? 0
        : Protocols.TryParse(value, out var protocol) ? protocol
        : throw new ResourceValidationException($"{field} \"{value}\" must be TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a number 1–255");

    private static IcmpFields? Icmp(IcmpFields? icmp, string field)
    {
        if (icmp is null)
        {
            return null;
        }
        if (icmp.Type is null)
        {
            throw new ResourceValidationException($"{field}.type is required (a code needs a type)");
        }
        if (icmp.Type is < 0 or > 254 || icmp.Code is < 0 or > 255)
        {
            throw new ResourceValidationException($"{field}: type must be 0–254 and code 0–255");
        }
        return icmp;
    }
}
