namespace RoutedNet.Policy;

/// <summary>A named container port of an endpoint (<c>serve-80-tcp</c> = TCP 80), which rules' named ports resolve to.</summary>
/// <param name="Protocol">IANA protocol number (<see cref="Protocols"/>).</param>
public sealed record NamedPort(string Name, int Protocol, int Port)
{
    /// <summary>An endpoint's container ports as policy resolves them: those whose protocol the model knows (a rule naming another could never parse).</summary>
    public static List<NamedPort> From(IEnumerable<RoutedNet.Datastore.Resources.EndpointPort>? ports) =>
        (ports ?? [])
            .Select(p => Protocols.TryParse(p.Protocol, out var protocol) ? new NamedPort(p.Name, protocol, p.Port) : null)
            .OfType<NamedPort>()
            .ToList();
}
