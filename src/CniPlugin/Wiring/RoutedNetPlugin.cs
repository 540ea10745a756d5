using RoutedNet.CniPlugin.Agent;
using RoutedNet.CniPlugin.Cni;
using RoutedNet.CniPlugin.IpamRole;
using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Wiring;

/// <summary>
/// The `routednet` role: wires a pod per DESIGN.md "The packet path", with addresses from the
/// IPAM plugin named in the config. ADD either completes or leaves nothing behind (IPAM released,
/// veth deleted); DEL succeeds on whatever is already gone.
/// </summary>
internal sealed class RoutedNetPlugin : ICniPlugin
{
    public CniResult Add(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var settings = RoutedNetConfig.From(config);
        var agent = AgentSettings.From(config, Environment.GetEnvironmentVariable);
        var ipam = ViaAgent(agent, settings) ? null : DelegatedPlugin.Find(settings.IpamType, env.Path);
        var hostVeth = VethName.For(env);
        var policyWait = PolicyWait.Timeout(config);

        // First, so that an agent that is away fails the ADD at once, before anything is made.
        using var connection = agent.UseAgent ? AgentIpam.Open(agent) : null;
        using var host = NetlinkHandle.Open();
        using var pod = OpenPodNamespace(env.Netns, out var podIPv6Conf);
        using var closeIPv6Conf = podIPv6Conf;
        // Checked before IPAM runs: a taken name must not cost an address. The pod end of a veth
        // that an earlier DEL of this pod quiesced (not deleted yet by the agent) is no owner: a
        // runtime may ADD the same sandbox again right after DEL.
        if (Catch(() => pod.FindLink(env.IfName)) is not null
            && !(Catch(() => PodWiring.RemoveQuiesced(host, hostVeth)) && Catch(() => pod.FindLink(env.IfName)) is null))
        {
            throw new CniException(CniErrorCode.InterfaceExists, $"interface {env.IfName} already exists in {env.Netns}");
        }

        // IPAM runs (a child process, or the agent) while the veth is made: creating it needs no address.
        var allocation = ipam is null ? AddressAllocation.Start(request, connection!, hostVeth) : AddressAllocation.Start(request, ipam);
        WiredPod made;
        try
        {
            made = Catch(() => PodWiring.CreateVeth(host, pod, podIPv6Conf, new VethPlan(hostVeth, env.IfName, env.Netns, settings.Mtu)));
        }
        catch (Exception e)
        {
            // What IPAM allocated goes back; if IPAM failed as well, nothing was allocated.
            if (allocation.Allocated())
            {
                ReleaseAfterFailure(allocation.Release, e);
            }
            throw;
        }
        CniResult allocated;
        try
        {
            allocated = allocation.Finish();
        }
        catch
        {
            PodWiring.Unwire(host, made.HostVeth.Index);
            throw;
        }
        try
        {
            var addresses = (allocated.Ips ?? []).Select(ip => IpCidr.Parse(ip.Address)).ToList();
            if (addresses.Count == 0)
            {
                throw new CniException(CniErrorCode.DelegateFailed, $"{allocation.Source} returned no address");
            }
            var plan = new WiringPlan(hostVeth, env.IfName, env.Netns, settings.Mtu, addresses);
            var records = new AttachmentRecords(settings.DataDir, config.Name);
            // Through the agent the endpoint always has its record: with the kubernetes datastore
            // the agent derives it from the Pod, with the others it writes it now.
            var endpointWritten = connection is not null || DatastoreSettings.IsExplicit(config, Environment.GetEnvironmentVariable);
            PolicyWaitOutcome? waited = null;
            WiredPod wired;
            try
            {
                records.Write(hostVeth, new CniAttachment { ContainerId = env.ContainerId, IfName = env.IfName }, addresses, endpointWritten);
                // An agent that registered the endpoint with the allocation has been programming
                // the pod's policy since, and the wait below finds it done. One that did not is
                // asked now: it registers the endpoint and programs it while the pod is wired (its
                // addresses and routes), and the answer is read after.
                var registering = allocation.EndpointRegistered ? null : connection;
                if (registering is not null)
                {
                    AgentIpam.SendRegistration(registering, request, hostVeth, addresses.Select(a => a.Host.ToString()), policyWait);
                }
                try
                {
                    wired = Catch(() => PodWiring.Complete(host, pod, made, plan));
                }
                catch
                {
                    // The release that undoes the ADD goes over this connection: read the answer
                    // first so the next answer read is the release's.
                    if (registering is not null)
                    {
                        DrainRegistration(registering);
                    }
                    throw;
                }
                if (registering is not null)
                {
                    waited = PolicyWait.Answered(AgentIpam.ReceiveRegistration(registering), policyWait, hostVeth, env.ContainerId);
                }
                else if (connection is null)
                {
                    // Does nothing (opens no store) unless a datastore is configured.
                    WorkloadEndpointRecords.Record(request, hostVeth, addresses, Environment.GetEnvironmentVariable);
                }
            }
            catch
            {
                records.Delete(hostVeth);
                throw;
            }
            if (waited is null)
            {
                PolicyWait.Wait(connection, agent.Socket, policyWait, hostVeth, env.ContainerId, endpointWritten);
            }
            return AddResult.Build(config.PrevResult, allocated, wired, env.Netns, plan);
        }
        catch (Exception e)
        {
            // Complete deletes the veth itself when it fails; this covers every other failure.
            PodWiring.Unwire(host, made.HostVeth.Index);
            ReleaseAfterFailure(allocation.Release, e);
            throw;
        }
    }

    /// <summary>Whether the addresses come from the agent in this process rather than from an IPAM exec.</summary>
    private static bool ViaAgent(AgentSettings agent, RoutedNetConfig settings) =>
        agent.UseAgent && settings.IpamType == PluginRoles.IpamName;

    public void Del(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var settings = RoutedNetConfig.From(config);
        var agent = AgentSettings.From(config, Environment.GetEnvironmentVariable);
        var viaAgent = ViaAgent(agent, settings);
        var ipam = viaAgent ? null : DelegatedPlugin.Find(settings.IpamType, env.Path);
        var hostVeth = VethName.For(env);
        var records = new AttachmentRecords(settings.DataDir, config.Name);
        var owner = records.Read(hostVeth);
        // The same pod's newer sandbox may own the veth by now (the name is the pod's identity):
        // a late DEL of the old sandbox must not cut the new one off.
        using var host = owner is null || IsSame(owner, env) ? NetlinkHandle.Open() : null;
        var veth = host is null ? null : Catch(() => host.FindLink(hostVeth));
        // The pod's host routes go first: once its address is released another pod may get it,
        // and must not find it still routed to this veth. Down first, so that nothing (the agent's
        // reconciler) can route to it again: the kernel refuses routes through a down device.
        if (veth is not null)
        {
            Catch(() => PodWiring.Quiesce(host!, veth.Index));
        }
        // Deleting a veth takes the kernel tens of milliseconds (it waits out RCU grace periods).
        // When the agent releases the addresses it deletes the veth after its answer, with every
        // other one quiesced meanwhile in one kernel operation, so the DEL does not wait for it;
        // otherwise (another IPAM plugin, an agent away or older) it is deleted here while the
        // IPAM DEL runs.
        var handOver = viaAgent && veth is not null;
        // The netns may be gone and the address already released: IPAM DEL is idempotent too.
        // Through the agent, one call releases the addresses (when routednet-ipam holds them) and
        // the endpoint record; an agent that is away gets it queued on the node instead.
        var release = ipam?.Start("DEL", config);
        var agentRelease = agent.UseAgent ? AgentIpam.StartRelease(agent, request, releaseAddresses: viaAgent, unregisterEndpoint: true, deleteHostVeth: handOver) : default;
        try
        {
            if (veth is not null && !handOver)
            {
                Catch(() => PodWiring.Unwire(host!, veth.Index));
            }
            if (host is not null)
            {
                records.Delete(hostVeth);
            }
            if (!agent.UseAgent)
            {
                // Named by container id, so the record is this sandbox's own even when the veth is not.
                WorkloadEndpointRecords.Remove(request, Environment.GetEnvironmentVariable);
            }
        }
        catch (Exception cause)
        {
            if (release is not null)
            {
                ReleaseAfterFailure(() => release.Output(), cause);
            }
            if (agent.UseAgent)
            {
                ReleaseAfterFailure(() => AgentIpam.FinishRelease(agent, request, agentRelease, viaAgent), cause);
            }
            throw;
        }
        release?.Output();
        if (agent.UseAgent && !AgentIpam.FinishRelease(agent, request, agentRelease, viaAgent) && handOver)
        {
            Catch(() => PodWiring.Unwire(host!, veth!.Index));
        }
    }

    public void Check(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (env, config) = (request.Environment, request.Config);
        var settings = RoutedNetConfig.From(config);
        var prev = config.PrevResult ?? throw NetworkConfig.Invalid("CHECK needs prevResult (the result of ADD)");
        var agent = AgentSettings.From(config, Environment.GetEnvironmentVariable);
        if (ViaAgent(agent, settings))
        {
            var held = AgentIpam.Check(agent, request, (prev.Ips ?? []).Select(ip => IpamRolePlugin.ParseResultAddress(ip.Address)));
            if (held.Count > 0)
            {
                throw new CniException(CniErrorCode.CheckFailed, string.Join("; ", held));
            }
        }
        else
        {
            DelegatedPlugin.Find(settings.IpamType, env.Path).Run("CHECK", config);
        }

        using var host = NetlinkHandle.Open();
        using var pod = OpenPodNamespace(env.Netns);
        var problems = Catch(() => WiringCheck.Problems(host, pod, env, prev));
        if (problems.Count > 0)
        {
            throw new CniException(CniErrorCode.CheckFailed, $"{env.IfName} of {env.ContainerId}: {string.Join("; ", problems)}");
        }
    }

    public void Status(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = RoutedNetConfig.From(request.Config);
        var agent = AgentSettings.From(request.Config, Environment.GetEnvironmentVariable);
        if (ViaAgent(agent, settings))
        {
            IpamRolePlugin.StatusThroughAgent(agent, request.Config);
            return;
        }
        var ipam = DelegatedPlugin.Locate(settings.IpamType, request.Environment.Path)
            ?? throw DelegatedPlugin.NotFound(settings.IpamType, request.Environment.Path, CniErrorCode.PluginNotAvailable);
        if (SpeaksVersion11(ipam))
        {
            ipam.Run("STATUS", request.Config);
        }
    }

    public void Gc(CniRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var config = request.Config;
        var settings = RoutedNetConfig.From(config);
        var valid = config.ValidAttachments ?? throw NetworkConfig.Invalid("GC needs \"cni.dev/valid-attachments\"");
        var records = new AttachmentRecords(settings.DataDir, config.Name);
        using (var host = NetlinkHandle.Open())
        {
            foreach (var (veth, attachment) in records.List().ToList())
            {
                if (!valid.Contains(attachment))
                {
                    Catch(() => PodWiring.Unwire(host, veth));
                    records.Delete(veth);
                }
            }
        }
        var agent = AgentSettings.From(config, Environment.GetEnvironmentVariable);
        if (ViaAgent(agent, settings))
        {
            AgentIpam.Gc(agent, config.Name, valid.Select(a => IpamRolePlugin.HandleId(config.Name, a.ContainerId, a.IfName)), IpamRoleConfig.From(config).GcGracePeriod);
            return;
        }
        var ipam = DelegatedPlugin.Find(settings.IpamType, request.Environment.Path);
        // IPAM plugins older than spec 1.1.0 (the reference host-local) have no GC to pass on.
        if (SpeaksVersion11(ipam))
        {
            ipam.Run("GC", config);
        }
    }

    private static bool IsSame(CniAttachment owner, CniEnvironment env) =>
        owner.ContainerId == env.ContainerId && owner.IfName == env.IfName;

    private static bool SpeaksVersion11(DelegatedPlugin ipam) =>
        ipam.SupportedVersions().Any(CniVersions.HasVersion11Features);

    private static NetlinkHandle OpenPodNamespace(string netns)
    {
        RequireNamespace(netns);
        return Catch(() => NetlinkHandle.OpenNamespace(netns));
    }

    /// <summary><see cref="OpenPodNamespace(string)"/> and, on a kernel with IPv6, the pod's ipv6/conf sysctls in the same visit.</summary>
    private static NetlinkHandle OpenPodNamespace(string netns, out SysctlDirectory? ipv6Conf)
    {
        if (!PacketPath.KernelHasIPv6)
        {
            ipv6Conf = null;
            return OpenPodNamespace(netns);
        }
        RequireNamespace(netns);
        SysctlDirectory? opened = null;
        var pod = Catch(() => NetlinkHandle.OpenNamespace(netns, SysctlTree.IPv6Conf, out opened));
        ipv6Conf = opened;
        return pod;
    }

    private static void RequireNamespace(string netns)
    {
        if (!File.Exists(netns))
        {
            throw new CniException(CniErrorCode.ContainerUnknown, $"network namespace {netns} does not exist");
        }
    }

    // The first failure is the one reported; a failed release after it goes to stderr for the log.
    private static void ReleaseAfterFailure(Action release, Exception cause)
    {
        try
        {
            release();
        }
        catch (CniException e)
        {
            Console.Error.WriteLine($"routednet: releasing the address after '{cause.Message}' failed too: {e.Message}");
        }
    }

    /// <summary>Reads a registration's answer that no longer matters: the wiring's error is the one ADD reports.</summary>
    private static void DrainRegistration(AgentConnection connection)
    {
        try
        {
            AgentIpam.ReceiveRegistration(connection);
        }
        catch (CniException)
        {
        }
    }

    private static T Catch<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (NetlinkException e)
        {
            throw NetlinkErrors.ToCni(e);
        }
    }
}
