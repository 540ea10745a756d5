using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// An ADD's addresses while the veth is being made: asked of the delegated IPAM plugin (a child
/// process) or, with "datastoreAccess": "agent" and routednet-ipam, of the node agent in this
/// process (no IPAM exec, no store opened). Started before the veth, read after it.
/// </summary>
internal sealed class AddressAllocation
{
    private readonly CniRequest _request;
    private readonly DelegatedPlugin? _ipam;
    private readonly DelegateCall? _call;
    private readonly AgentConnection? _agent;

    private AddressAllocation(CniRequest request, DelegatedPlugin? ipam, DelegateCall? call, AgentConnection? agent) =>
        (_request, _ipam, _call, _agent) = (request, ipam, call, agent);

    public string Source => _ipam?.Type ?? "routednet-node";

    public static AddressAllocation Start(CniRequest request, DelegatedPlugin ipam)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        return new AddressAllocation(request, ipam, ipam.Start("ADD", request.Config), null);
    }

    /// <summary>From the agent, which also registers the pod's endpoint on <paramref name="hostInterface"/> with them.</summary>
    public static AddressAllocation Start(CniRequest request, AgentConnection agent, string hostInterface)
    {
        AgentIpam.SendAllocation(agent, request, hostInterface);
        return new AddressAllocation(request, null, null, agent);
    }

    /// <summary>Whether the agent registered the endpoint with the addresses (known once <see cref="Finish"/> returned).</summary>
    public bool EndpointRegistered { get; private set; }

    /// <summary>The addresses, or the IPAM's failure.</summary>
    public CniResult Finish()
    {
        if (_agent is null)
        {
            return _ipam!.ReadAddResult(_call!.Output());
        }
        var answer = AgentIpam.ReceiveAllocation(_agent, _request.Config.CniVersion);
        EndpointRegistered = answer.EndpointRegistered;
        return answer.Result;
    }

    /// <summary>Waits for the allocation only to know whether anything was allocated (the ADD failed meanwhile).</summary>
    public bool Allocated()
    {
        try
        {
            Finish();
            return true;
        }
        catch (CniException)
        {
            return false;
        }
    }

    /// <summary>Gives the addresses back (and the endpoint record, when the agent made one).</summary>
    public void Release()
    {
        if (_agent is not null)
        {
            AgentIpam.Release(_agent, _request);
        }
        else
        {
            _ipam!.Run("DEL", _request.Config);
        }
    }
}
