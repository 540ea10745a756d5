using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// All-pairs pod connectivity without NAT: every pod gets a UDP socket opened inside its own
/// namespace and bound to its address; each sender sends a tagged datagram to each receiver,
/// and the receiver checks the datagram arrived from the sender's pod address.
/// </summary>
internal sealed class PodProbe : IDisposable
{
    public const int Port = 40400;
    private const int Attempts = 3;

    private readonly Dictionary<string, Socket> _sockets = [];

    public PodProbe(IEnumerable<LabPod> pods)
    {
        try
        {
            foreach (var pod in pods.Where(p => p.Addresses.Count > 0))
            {
                var address = IPAddress.Parse(pod.Addresses[0]);
                _sockets[pod.Name] = NetworkNamespace.Run(LabTopology.NamespacePath(pod.Namespace), () =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
                    socket.Bind(new IPEndPoint(address, Port));
                    return socket;
                });
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>"ok", "from X" (arrived, but from another source: NAT), or "lost".</summary>
    public string Probe(LabPod from, LabPod to)
    {
        var sender = _sockets[from.Name];
        var receiver = _sockets[to.Name];
        var target = new IPEndPoint(IPAddress.Parse(to.Addresses[0]), Port);
        var buffer = new byte[512];
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var tag = $"rnlab {from.Name}>{to.Name} {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
            sender.SendTo(Encoding.ASCII.GetBytes(tag), target);
            try
            {
                while (true)
                {
                    EndPoint source = new IPEndPoint(IPAddress.Any, 0);
                    var read = receiver.ReceiveFrom(buffer, ref source);
                    if (Encoding.ASCII.GetString(buffer, 0, read) != tag)
                    {
                        continue; // a late datagram of an earlier attempt
                    }
                    var sourceAddress = ((IPEndPoint)source).Address.ToString();
                    return sourceAddress == from.Addresses[0] ? "ok" : $"from {sourceAddress}";
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
            }
        }
        return "lost";
    }

    public void Dispose()
    {
        foreach (var socket in _sockets.Values)
        {
            socket.Dispose();
        }
        _sockets.Clear();
    }
}
