using System.Net;

namespace RoutedNet.Felix.Bgp;

/// <summary>This node as a BGP speaker.</summary>
public sealed record BgpLocalConfig(uint AsNumber, IPAddress RouterId, int ListenPort, bool RestartingWithRoutesKept);
