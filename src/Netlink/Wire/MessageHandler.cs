namespace RoutedNet.Netlink.Wire;

/// <summary>Receives each message of a dump or query while its datagram is still in the receive buffer.</summary>
internal delegate void MessageHandler(NetlinkMessage message);
