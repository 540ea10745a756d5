namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One named container port of a pod (a Pod's spec.containers[].ports entry with a name), as a
/// WorkloadEndpoint carries it: policies that name a port ("serve-81-tcp") resolve it per endpoint
/// through these, and only for the protocol given here (a policy naming a UDP port with protocol
/// TCP matches nothing, as in Kubernetes).
/// </summary>
public sealed record EndpointPort
{
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>TCP, UDP or SCTP (Kubernetes' spelling; a Pod's port without one is TCP).</summary>
    public string Protocol { get; init => field = value ?? "TCP"; } = "TCP";

    public int Port { get; init; }
}
