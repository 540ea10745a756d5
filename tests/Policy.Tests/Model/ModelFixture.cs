using System.Net;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Policy.Tests.Model;

/// <summary>Small worlds for model tests: endpoints by "ns/name", policies written inline.</summary>
internal static class ModelFixture
{
    public static PolicyEndpoint Endpoint(string id, string address, Dictionary<string, string>? labels = null, string? serviceAccount = null, params NamedPort[] ports) =>
        new(id.Split('/')[0], id.Split('/')[1], labels ?? [], [IPAddress.Parse(address)], serviceAccount, ports);

    public static PolicyDefinition Np(string id, PolicySpec spec) => new(id.Split('/')[0], id.Split('/')[1], spec);

    public static PolicyDefinition Gnp(string name, PolicySpec spec) => new(null, name, spec);

    public static PolicySnapshot Snapshot(IEnumerable<PolicyEndpoint> endpoints, params PolicyDefinition[] policies) =>
        new(endpoints, [new PolicyNamespace("x", new Dictionary<string, string> { ["ns"] = "x", [Namespace.NameLabel] = "x" }), new PolicyNamespace("y", new Dictionary<string, string> { ["ns"] = "y", [Namespace.NameLabel] = "y" })], policies);

    public static PolicyRule Rule(string action, string? protocol = null, EntityRule? source = null, EntityRule? destination = null) =>
        new() { Action = action, Protocol = protocol is null ? null : new IntOrString(protocol), Source = source, Destination = destination };

    public static PolicyVerdict Tcp(PolicySnapshot snapshot, PolicyEndpoint from, PolicyEndpoint to, int port) =>
        PolicyModel.Evaluate(snapshot, Flow.Between(from, to, Protocols.Tcp, port));
}
