using System.Net;

namespace RoutedNet.Ipam.Check;

/// <summary>A handle that holds addresses but belongs to no live attachment.</summary>
public sealed record LeakedHandle(string HandleId, IReadOnlyList<IPAddress> Addresses);
