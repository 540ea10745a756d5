namespace RoutedNet.Netlink;

/// <summary>Receives one route of a <see cref="NetlinkHandle.ScanRoutes"/>; the message is valid only during the call.</summary>
public delegate void RouteHandler(in RouteMessage route);
