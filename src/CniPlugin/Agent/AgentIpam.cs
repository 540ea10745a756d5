using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Ipam.PendingReleases;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// IPAM and endpoint records through the node agent (proto/node.proto, the Cni* methods): what
/// both roles do instead of opening the datastore when <see cref="AgentSettings.UseAgent"/>. An
/// agent that cannot be reached fails ADD at once with 11 (the runtime tries again) and makes DEL
/// queue its release on the node (<see cref="PendingReleaseQueue"/>), which the agent carries out
/// before it reports ready.
/// </summary>
internal static class AgentIpam
{
    /// <summary>Connects to the agent, or fails with 11 naming the socket.</summary>
    public static AgentConnection Open(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return AgentConnection.Connect(settings.Socket);
        }
        catch (AgentUnavailableException e)
        {
            throw Unavailable(e);
        }
    }

    public static CniException Unavailable(AgentUnavailableException e) =>
        new(CniErrorCode.TryAgainLater, e.Message);

    /// <summary>
    /// Sends the allocation; its answer is read by <see cref="ReceiveAllocation"/>. With
    /// <paramref name="registerHostInterface"/> the agent also registers the pod's endpoint with
    /// the addresses it allocates (see <see cref="AgentAllocation.EndpointRegistered"/>).
    /// </summary>
    public static void SendAllocation(AgentConnection connection, CniRequest request, string? registerHostInterface = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var message = AllocationMessage(request, registerHostInterface);
        Call(() => connection.Send(AgentMethod.Allocate, message));
    }

    /// <summary>CniAllocateRequest for the request's attachment and its netconf "ipam" settings.</summary>
    public static ProtoWriter AllocationMessage(CniRequest request, string? registerHostInterface = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = IpamRoleConfig.From(request.Config);
        var requested = IpamRoleConfig.RequestedAddresses(request);
        if (!settings.AssignIPv4 && !settings.AssignIPv6 && requested.Count == 0)
        {
            throw NetworkConfig.Invalid("ipam: assignIPv4 and assignIPv6 are both false and no address was requested");
        }
        return new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .Message(2, AgentAttachment.Of(request).Encode())
            .Varint(3, settings.AssignIPv4 ? 1UL : 0UL)
            .Varint(4, settings.AssignIPv6 ? 1UL : 0UL)
            .Strings(5, requested.Select(a => a.ToString()))
            .Strings(6, settings.Pools)
            .Strings(7, settings.Reserved.Select(r => r.ToString()))
            .String(8, registerHostInterface);
    }

    /// <summary>The addresses the agent allocated, as an IPAM result (host routes: /32, /128), and whether it registered the endpoint.</summary>
    public static AgentAllocation ReceiveAllocation(AgentConnection connection, string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Call(() => ParseAllocation(connection.Receive(AgentMethod.Allocate), cniVersion));
    }

    /// <summary>A CniAllocateResponse as an IPAM result, and its endpoint_registered.</summary>
    public static AgentAllocation ParseAllocation(byte[] body, string cniVersion)
    {
        var ips = new List<CniIpConfig>(2);
        var registered = false;
        var reader = new ProtoReader(body);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                var text = reader.String();
                var address = IPAddress.TryParse(text, out var parsed) ? parsed
                    : throw new CniException(CniErrorCode.IoFailure, $"the node agent allocated '{text}', which is not an address");
                ips.Add(new CniIpConfig { Address = $"{address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128).ToString(CultureInfo.InvariantCulture)}" });
            }
            else if (reader.Field == 2)
            {
                registered = reader.Varint() != 0;
            }
            else
            {
                reader.Skip();
            }
        }
        return new AgentAllocation(new CniResult { CniVersion = cniVersion, Ips = ips }, registered);
    }

    /// <summary>
    /// Registers the pod's endpoint (the record the datastore path writes as a WorkloadEndpoint);
    /// with a <paramref name="policyWait"/> above zero the agent also waits for its policy in the
    /// same call. Only sends: ADD wires the pod while the agent works, then reads the answer with
    /// <see cref="ReceiveRegistration"/> (<see cref="PolicyWait.Answered"/> reads whether it waited).
    /// </summary>
    public static void SendRegistration(AgentConnection connection, CniRequest request, string hostInterface, IEnumerable<string> addresses, TimeSpan policyWait)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var message = new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .Message(2, AgentAttachment.Of(request).Encode())
            .String(3, hostInterface)
            .Strings(4, addresses)
            .Varint(5, (ulong)policyWait.TotalMilliseconds);
        Call(() => connection.Send(AgentMethod.RegisterEndpoint, message));
    }

    /// <summary>The answer to <see cref="SendRegistration"/>.</summary>
    public static byte[] ReceiveRegistration(AgentConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Call(() => connection.Receive(AgentMethod.RegisterEndpoint));
    }

    /// <summary>Releases the attachment's addresses and endpoint record on an open connection (an ADD undoing itself).</summary>
    public static void Release(AgentConnection connection, CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var message = ReleaseMessage(request, releaseAddresses: true, unregisterEndpoint: true, deleteHostVeth: false);
        Call(() =>
        {
            connection.Send(AgentMethod.Release, message);
            return connection.Receive(AgentMethod.Release);
        });
    }

    /// <summary>
    /// Starts the DEL's call (release of the addresses and the endpoint record, or the endpoint
    /// record only when another IPAM plugin holds the addresses) on a new connection, asking the
    /// agent to delete the pod's host veth (put into <see cref="LinkGroups.DeletedPodVeths"/>) after
    /// it answers (only with the release); null when the agent cannot be reached, in which case
    /// <see cref="FinishRelease"/> queues it.
    /// </summary>
    public static (AgentConnection? Connection, AgentUnavailableException? Failure) StartRelease(AgentSettings settings, CniRequest request, bool releaseAddresses, bool unregisterEndpoint, bool deleteHostVeth)
    {
        ArgumentNullException.ThrowIfNull(settings);
        AgentConnection? connection = null;
        try
        {
            connection = AgentConnection.Connect(settings.Socket);
            connection.Send(Method(releaseAddresses), ReleaseMessage(request, releaseAddresses, unregisterEndpoint, deleteHostVeth));
            return (connection, null);
        }
        catch (AgentUnavailableException e)
        {
            connection?.Dispose();
            return (null, e);
        }
    }

    /// <summary>
    /// Reads the release's answer; an agent that is away or too old for the call gets the release
    /// queued instead, and DEL succeeds. True when the agent took the host veth over; otherwise the
    /// caller deletes it.
    /// </summary>
    public static bool FinishRelease(AgentSettings settings, CniRequest request, (AgentConnection? Connection, AgentUnavailableException? Failure) started, bool releaseAddresses)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        var failure = started.Failure;
        if (started.Connection is { } connection)
        {
            using (connection)
            {
                try
                {
                    var answer = connection.Receive(Method(releaseAddresses));
                    return releaseAddresses && Call(() => HostVethTaken(answer));
                }
                catch (AgentUnavailableException e)
                {
                    failure = e;
                }
            }
        }
        Queue(settings, request, releaseAddresses, failure!);
        return false;
    }

    /// <summary>CniReleaseResponse.host_veth_taken (field 2).</summary>
    private static bool HostVethTaken(byte[] body)
    {
        var reader = new ProtoReader(body);
        var taken = false;
        while (reader.Next())
        {
            if (reader.Field == 2)
            {
                taken = reader.Varint() != 0;
            }
            else
            {
                reader.Skip();
            }
        }
        return taken;
    }

    private static void Queue(AgentSettings settings, CniRequest request, bool releaseAddresses, AgentUnavailableException failure)
    {
        var attachment = AgentAttachment.Of(request);
        var queue = PendingReleaseQueue.ForDataDir(settings.DataDir);
        try
        {
            queue.Enqueue(new PendingRelease
            {
                HandleId = attachment.HandleId,
                ContainerId = attachment.ContainerId,
                IfName = attachment.IfName,
                Network = attachment.Network,
                Pod = attachment.Pod,
                Namespace = attachment.Namespace,
                ReleaseAddresses = releaseAddresses,
            });
        }
        catch (Exception e) when (e is PendingReleaseQueueFullException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CniException(CniErrorCode.TryAgainLater,
                $"{failure.Message}; and the release of {attachment.HandleId} cannot be queued for it: {e.Message}");
        }
        Console.Error.WriteLine($"routednet: {failure.Message}; the release of {attachment.HandleId} is queued in {queue.Directory} for the agent");
    }

    private static byte Method(bool releaseAddresses) => releaseAddresses ? AgentMethod.Release : AgentMethod.UnregisterEndpoint;

    private static ProtoWriter ReleaseMessage(CniRequest request, bool releaseAddresses, bool unregisterEndpoint, bool deleteHostVeth)
    {
        var message = new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .Message(2, AgentAttachment.Of(request).Encode());
        return releaseAddresses ? message.Bool(3, unregisterEndpoint).Bool(4, deleteHostVeth) : message;
    }

    /// <summary>CHECK's IPAM half: problems the agent found with the handle's addresses.</summary>
    public static IReadOnlyList<string> Check(AgentSettings settings, CniRequest request, IEnumerable<IPAddress> expected)
    {
        var message = new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .Message(2, AgentAttachment.Of(request).Encode())
            .Strings(3, expected.Select(a => a.ToString()));
        return Strings(Round(settings, AgentMethod.Check, message), 1);
    }

    public static IReadOnlyList<string> Gc(AgentSettings settings, string network, IEnumerable<string> liveHandles, TimeSpan gracePeriod)
    {
        var message = new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .String(2, network)
            .Strings(3, liveHandles)
            .Varint(4, (ulong)gracePeriod.TotalSeconds);
        return Strings(Round(settings, AgentMethod.Gc, message), 1);
    }

    public static void Status(AgentSettings settings, IReadOnlyList<string> pools, bool ipv4, bool ipv6)
    {
        var message = new ProtoWriter()
            .Varint(1, AgentMethod.ApiVersion)
            .Strings(2, pools)
            .Bool(3, ipv4)
            .Bool(4, ipv6);
        Round(settings, AgentMethod.Status, message);
    }

    private static byte[] Round(AgentSettings settings, byte method, ProtoWriter message)
    {
        using var connection = Open(settings);
        return Call(() =>
        {
            connection.Send(method, message);
            return connection.Receive(method);
        });
    }

    private static List<string> Strings(byte[] body, int field)
    {
        var result = new List<string>();
        var reader = new ProtoReader(body);
        while (reader.Next())
        {
            if (reader.Field == field)
            {
                result.Add(reader.String());
            }
            else
            {
                reader.Skip();
            }
        }
        return result;
    }

    private static void Call(Action work) => Call(() =>
    {
        work();
        return true;
    });

    private static T Call<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (AgentUnavailableException e)
        {
            throw Unavailable(e);
        }
        catch (FormatException e)
        {
            throw new CniException(CniErrorCode.IoFailure, $"the node agent's answer: {e.Message}");
        }
    }
}
