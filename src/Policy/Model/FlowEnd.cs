using System.Net;

namespace RoutedNet.Policy;

/// <summary>One end of a flow: an address, and the endpoint that owns it (null for an address outside the cluster's endpoints).</summary>
public sealed record FlowEnd(IPAddress Address, PolicyEndpoint? Endpoint)
{
    public static FlowEnd Of(PolicyEndpoint endpoint, System.Net.Sockets.AddressFamily family = System.Net.Sockets.AddressFamily.InterNetwork)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var address = endpoint.Addresses.FirstOrDefault(a => a.AddressFamily == family)
            ?? endpoint.Addresses.FirstOrDefault()
            ?? throw new ArgumentException($"endpoint {endpoint.Id} has no address", nameof(endpoint));
        return new(address, endpoint);
    }

    public override string ToString() => Endpoint is null ? Address.ToString() : $"{Endpoint.Id} ({Address})";
}
