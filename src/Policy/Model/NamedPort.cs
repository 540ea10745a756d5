namespace RoutedNet.Policy;

/// <summary>A named container port of an endpoint (<c>serve-80-tcp</c> = TCP 80), which rules' named ports resolve to.</summary>
/// <param name="Protocol">IANA protocol number (<see cref="Protocols"/>).</param>
public sealed record NamedPort(string Name, int Protocol, int Port);
