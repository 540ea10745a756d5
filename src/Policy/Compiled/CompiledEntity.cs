using System.Net;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy;

/// <summary>
/// A rule's source or destination, compiled: nets parsed, selectors compiled, ports parsed, and
/// the namespace scope fixed (Calico: a selector without namespaceSelector means the policy's own
/// namespace for a NetworkPolicy, every namespace for a GlobalNetworkPolicy).
/// </summary>
internal sealed class CompiledEntity
{
    private readonly IPNetwork[] _nets;
    private readonly IPNetwork[] _notNets;
    private readonly Selector? _selector;
    private readonly Selector? _notSelector;
    private readonly Selector? _namespaceSelector;
    private readonly string? _ownNamespace;
    private readonly PortMatch[] _ports;
    private readonly PortMatch[] _notPorts;
    private readonly HashSet<string>? _serviceAccountNames;
    private readonly Selector? _serviceAccountSelector;
    private readonly bool _needsEndpoint;

    public CompiledEntity(EntityRule rule, string? policyNamespace, string field)
    {
        _nets = [.. (rule.Nets ?? []).Select((n, i) => Net(n, $"{field}.nets[{i}]"))];
        _notNets = [.. (rule.NotNets ?? []).Select((n, i) => Net(n, $"{field}.notNets[{i}]"))];
        _selector = rule.Selector is null ? null : Compile(rule.Selector, $"{field}.selector");
        _notSelector = rule.NotSelector is null ? null : Compile(rule.NotSelector, $"{field}.notSelector");
        _namespaceSelector = rule.NamespaceSelector is null ? null : Compile(rule.NamespaceSelector, $"{field}.namespaceSelector");
        _ports = Ports(rule.Ports, $"{field}.ports");
        _notPorts = Ports(rule.NotPorts, $"{field}.notPorts");
        if (rule.ServiceAccounts is { } accounts)
        {
            _serviceAccountNames = accounts.Names is { Count: > 0 } names ? new HashSet<string>(names, StringComparer.Ordinal) : null;
            _serviceAccountSelector = accounts.Selector is null ? null : Compile(accounts.Selector, $"{field}.serviceAccounts.selector");
        }
        _needsEndpoint = rule.Selector is not null || rule.NamespaceSelector is not null || rule.ServiceAccounts is not null;
        _ownNamespace = _namespaceSelector is null ? policyNamespace : null;
    }

    public bool HasPorts => _ports.Length > 0 || _notPorts.Length > 0;

    public bool HasNamedPorts => _ports.Any(p => p.Name is not null) || _notPorts.Any(p => p.Name is not null);

    public bool Matches(FlowEnd end, int? port, int protocol, PolicySnapshot snapshot)
    {
        if (_nets.Length > 0 && !Contains(_nets, end.Address))
        {
            return false;
        }
        if (_notNets.Length > 0 && Contains(_notNets, end.Address))
        {
            return false;
        }
        var endpoint = end.Endpoint;
        if (_needsEndpoint && !InScope(endpoint, snapshot))
        {
            return false;
        }
        if (_notSelector is not null && endpoint is not null && _notSelector.Matches(endpoint.SelectorLabels))
        {
            return false;
        }
        if (_ports.Length > 0 && (port is not { } p || !AnyPort(_ports, p, protocol, endpoint)))
        {
            return false;
        }
        if (_notPorts.Length > 0 && port is { } q && AnyPort(_notPorts, q, protocol, endpoint))
        {
            return false;
        }
        return true;
    }

    private bool InScope(PolicyEndpoint? endpoint, PolicySnapshot snapshot)
    {
        if (endpoint is null)
        {
            return false;
        }
        if (_ownNamespace is not null ? endpoint.Namespace != _ownNamespace
            : _namespaceSelector is not null && !_namespaceSelector.Matches(snapshot.NamespaceLabels(endpoint.Namespace)))
        {
            return false;
        }
        if (_selector is not null && !_selector.Matches(endpoint.SelectorLabels))
        {
            return false;
        }
        if (_serviceAccountNames is not null && (endpoint.ServiceAccount is null || !_serviceAccountNames.Contains(endpoint.ServiceAccount)))
        {
            return false;
        }
        return _serviceAccountSelector is null || _serviceAccountSelector.Matches(PolicySnapshot.ServiceAccountLabels(endpoint.ServiceAccount));
    }

    private static bool AnyPort(PortMatch[] ports, int port, int protocol, PolicyEndpoint? endpoint)
    {
        foreach (var match in ports)
        {
            if (match.Matches(port, protocol, endpoint))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(IPNetwork[] nets, IPAddress address)
    {
        foreach (var net in nets)
        {
            if (net.BaseAddress.AddressFamily == address.AddressFamily && net.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    internal static Selector Compile(string text, string field)
    {
        try
        {
            return Selector.Parse(text);
        }
        catch (SelectorException e)
        {
            throw new ResourceValidationException($"{field}: {e.Message}", e);
        }
    }

    private static IPNetwork Net(string text, string field) =>
        Nets.TryParse(text, out var network) ? network : throw new ResourceValidationException($"{field}: \"{text}\" is not a CIDR or an address");

    private static PortMatch[] Ports(IReadOnlyList<IntOrString>? ports, string field)
    {
        var result = new PortMatch[ports?.Count ?? 0];
        for (var i = 0; i < result.Length; i++)
        {
            if (!PortMatch.TryParse(ports![i], out result[i], out var error))
            {
                throw new ResourceValidationException($"{field}[{i}]: {error}");
            }
        }
        return result;
    }
}
