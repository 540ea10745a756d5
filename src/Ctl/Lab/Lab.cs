using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using RoutedNet.Ctl.Agent;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The lab's operations over its state file: up, add-node, add-pod, del-pod, restart-node, down.
/// Every step records what it is about to make before making it, so `down` can always undo.
/// </summary>
internal sealed class Lab(LabDirectory directory, TextWriter output)
{
    public const string PoolCidr = "10.244.0.0/16";
    public const int BlockSize = 24;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConvergeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The other binaries are next to routednetctl (out/bin), or in $ROUTEDNET_BIN_DIR (a development build of routednetctl).</summary>
    public static string BinDirectory { get; } =
        Environment.GetEnvironmentVariable("ROUTEDNET_BIN_DIR") is { Length: > 0 } dir ? dir : Path.GetDirectoryName(Environment.ProcessPath) ?? ".";

    public LabDirectory Directory => directory;

    public async Task<int> UpAsync(LabOptions options, CancellationToken cancellationToken)
    {
        RequireRoot();
        directory.Claim();
        foreach (var binary in (string[])[CniRuntime.Binary, "routednet-ipam", NodeAgent.Binary])
        {
            if (!File.Exists(Path.Combine(BinDirectory, binary)))
            {
                throw new CtlException($"{Path.Combine(BinDirectory, binary)} is missing: run ./build.sh (or ./lab.sh up)");
            }
        }
        if (options.Tor is { } tor)
        {
            TorRouter.RequireInstalled(tor);
        }
        if (options.BgpBackend == "gobgp")
        {
            NodeGoBgp.RequireInstalled();
        }
        if (directory.TryLoad() is not null)
        {
            output.WriteLine($"removing the previous lab in {directory.Path}");
            Down();
        }
        var clock = Stopwatch.StartNew();
        var state = new LabState { Prefix = options.Prefix, Datastore = $"sqlite://{directory.Combine("store.db")}", BgpBackend = options.BgpBackend, TorAsOverride = !options.NoAsOverride };
        directory.Save(state);
        LabTopology.AddTor(directory, state);
        output.WriteLine($"tor      {state.TorNamespace}: bridge {LabTopology.Bridge} {LabTopology.Gateway}/{LabTopology.PrefixLength}");
        await ConfigureDatastoreAsync(state, options, cancellationToken).ConfigureAwait(false);
        if (options.Tor is { } kind)
        {
            TorRouter.Start(directory, state, kind, Enumerable.Range(1, options.Nodes).Select(NodeAddress));
            var asOverride = state.TorAsOverride ? "as-override" : $"no as-override: the nodes' BGPPeer allows their own AS once (numAllowedLocalASNumbers: {TorRouter.AllowedLocalAsWithoutOverride})";
            output.WriteLine($"router   {kind} in {state.TorNamespace}, AS {TorRouter.AsNumber}, eBGP with every node, {asOverride} (pids {string.Join(", ", state.TorPids)})");
        }
        var nodes = Enumerable.Range(0, options.Nodes).Select(_ => AddNodeUnready(state)).ToList();
        WaitReady(nodes);
        output.WriteLine($"agents   ready ({clock.Elapsed.TotalSeconds:0.0} s since start)");
        foreach (var node in nodes)
        {
            for (var i = 0; i < options.PodsPerNode; i++)
            {
                AddPod(state, node);
            }
        }
        var converging = Stopwatch.StartNew();
        Convergence.Wait(state, ConvergeTimeout);
        output.WriteLine($"routes   converged in {converging.Elapsed.TotalMilliseconds:0} ms after the last pod (every node routes every other node's pods)");
        await PrintNodeStatusAsync(state, cancellationToken).ConfigureAwait(false);
        if (state.Tor is not null)
        {
            output.WriteLine($"--- router ({state.Tor}) in {state.TorNamespace}");
            output.Write(TorRouter.Summary(directory, state));
        }
        output.WriteLine();
        var matrix = Ping(state);
        output.WriteLine($"lab is up in {clock.Elapsed.TotalSeconds:0.0} s ({directory.StateFile}); next: routednetctl lab status | ping | add-pod NODE | down  (./lab.sh down)");
        return matrix.Failures == 0 ? 0 : 1;
    }

    public ConnectivityMatrix Ping(LabState state)
    {
        var matrix = ConnectivityMatrix.Measure(state.Pods);
        output.Write(matrix.Render());
        return matrix;
    }

    public LabNode AddNode(LabState state)
    {
        RequireRoot();
        var node = AddNodeUnready(state);
        TorRouter.NodeAdded(directory, state);
        WaitReady([node]);
        Convergence.Wait(state, ConvergeTimeout);
        output.WriteLine($"{node.Name} ready, routes to every pod converged");
        return node;
    }

    public LabPod AddPod(LabState state, LabNode node, PodIdentity? identity = null)
    {
        RequireRoot();
        var name = string.Create(CultureInfo.InvariantCulture, $"{node.Name}-pod{node.NextPod++}");
        if (identity?.Name is { } podName && state.Pods.FirstOrDefault(p => p.PodNamespace == identity.Namespace && p.PodName == podName) is { } taken)
        {
            throw new CtlException(CtlExitCode.Problem, $"pod {identity.Namespace}/{podName} already exists in the lab ({taken.Name} on {taken.Node})");
        }
        var pod = new LabPod
        {
            Name = name,
            Node = node.Name,
            Namespace = $"{state.Prefix}-{name}",
            ContainerId = "rnlab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            PodNamespace = identity?.Namespace ?? LabPod.DefaultPodNamespace,
            PodName = identity?.Name,
            Labels = identity?.Labels ?? [],
            Ports = identity?.Ports ?? [],
        };
        state.Pods.Add(pod);
        LabTopology.AddNamespace(directory, state, pod.Namespace);
        if (identity is not null)
        {
            PodNamespaces.Ensure(state, pod.PodNamespace);
        }
        pod.Addresses.AddRange(CniRuntime.Add(directory, state, node, pod, BinDirectory));
        directory.Save(state);
        if (pod.Ports.Count > 0)
        {
            PodServer.Start(directory, state, pod);
        }
        var who = pod.PodNamespace == LabPod.DefaultPodNamespace && identity is null ? "" : $" as {pod.Identity}";
        output.WriteLine($"pod      {pod.Name}{who} on {node.Name}: {string.Join(", ", pod.Addresses)} (netns {pod.Namespace})");
        return pod;
    }

    /// <summary>CNI DEL (the plugin removes the veth, the route, the endpoint and the address), then the netns.</summary>
    public void DelPod(LabState state, LabPod pod)
    {
        RequireRoot();
        PodServer.Stop(directory, pod);
        CniRuntime.Del(directory, state, Node(state, pod.Node), pod, BinDirectory);
        LabTopology.DeleteNamespace(pod.Namespace);
        state.Pods.Remove(pod);
        state.Namespaces.Remove(pod.Namespace);
        directory.Save(state);
        output.WriteLine($"pod {pod.Name} deleted");
    }

    /// <summary>
    /// Restarts the nodes' agents one at a time, as a DaemonSet's rolling update does: stop (SIGTERM,
    /// or SIGKILL for a crash), start, then wait until the agent is ready and every one of its BGP
    /// sessions is Established again before the next node. The kernel keeps the node's routes and
    /// its peers keep them too (graceful restart), so no traffic is lost along the way.
    /// </summary>
    public async Task RestartNodesAsync(LabState state, IReadOnlyList<LabNode> nodes, bool kill, CancellationToken cancellationToken)
    {
        RequireRoot();
        foreach (var node in nodes)
        {
            var old = node.AgentPid;
            var clock = Stopwatch.StartNew();
            if (kill)
            {
                NodeAgent.Kill(node);
            }
            else
            {
                NodeAgent.Stop(node);
            }
            NodeAgent.Start(directory, state, node, BinDirectory);
            WaitReady([node]);
            await NodeAgent.WaitSessionsAsync(node, ReadyTimeout, cancellationToken).ConfigureAwait(false);
            Convergence.Wait(state, ConvergeTimeout);
            output.WriteLine($"{node.Name}: routednet-node pid {old} stopped ({(kill ? "SIGKILL" : "SIGTERM")}), pid {node.AgentPid} ready, BGP sessions up, routes converged ({clock.Elapsed.TotalSeconds:0.0} s)");
        }
    }

    /// <summary>
    /// Agents and router by recorded pid, namespaces by recorded name, then the directory. Idempotent.
    /// A directory `up` did not mark is not the lab's: its lab.json (if any) could name any pid,
    /// so nothing is stopped and nothing removed.
    /// </summary>
    public void Down()
    {
        RequireRoot();
        if (!directory.IsOurs)
        {
            if (!directory.IsAbsentOrEmpty)
            {
                throw new CtlException($"{directory.Path} is not a lab directory (no {LabDirectory.MarkerName}, which `lab up` writes): nothing stopped or removed");
            }
            return;
        }
        if (directory.TryLoad() is { } state)
        {
            foreach (var pod in state.Pods)
            {
                PodServer.Stop(directory, pod);
            }
            InParallel(state.Nodes, NodeAgent.Stop);
            InParallel(state.Nodes, node => NodeGoBgp.Stop(directory, node));
            TorRouter.Stop(directory, state);
            foreach (var name in Enumerable.Reverse(state.Namespaces).Where(n => n.StartsWith(state.Prefix + "-", StringComparison.Ordinal)))
            {
                LabTopology.DeleteNamespace(name);
            }
            output.WriteLine($"lab down: {state.Nodes.Count} agents stopped, {state.Namespaces.Count} namespaces deleted, {directory.Path} removed");
        }
        directory.Remove();
    }

    public static LabNode Node(LabState state, string name) =>
        state.Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new CtlException($"no node {name} in the lab (nodes: {string.Join(", ", state.Nodes.Select(n => n.Name))})");

    /// <summary>A pod by its lab name (node1-pod1) or as NAMESPACE/NAME.</summary>
    public static LabPod Pod(LabState state, string name) =>
        state.Pods.FirstOrDefault(p => p.Name == name || p.Identity == name)
        ?? throw new CtlException($"no pod {name} in the lab (pods: {string.Join(", ", state.Pods.Select(p => p.Name))})");

    private static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new CtlException("the lab needs root: it creates network namespaces (sudo)");
        }
    }

    private LabNode AddNodeUnready(LabState state)
    {
        var index = state.NextNode++;
        var name = string.Create(CultureInfo.InvariantCulture, $"node{index}");
        var node = new LabNode
        {
            Name = name,
            Namespace = $"{state.Prefix}-{name}",
            Address = NodeAddress(index),
            // A directory per node: the agent writes its node name next to its socket for the plugin.
            ApiSocket = directory.Combine("run", name, "node.sock"),
            HealthPort = 9100 + index,
            Log = directory.Combine($"{name}.log"),
        };
        state.Nodes.Add(node);
        LabTopology.AddNamespace(directory, state, node.Namespace);
        LabTopology.AddUplink(state, node);
        NodeAgent.Start(directory, state, node, BinDirectory);
        var gobgp = node.GoBgpPid != 0 ? $", gobgpd pid {node.GoBgpPid} (BGP backend)" : "";
        output.WriteLine($"node     {node.Name} in {node.Namespace}: {node.Address}, routednet-node pid {node.AgentPid}{gobgp}, api {node.ApiSocket}, log {node.Log}");
        return node;
    }

    /// <summary>Node i's uplink address on the bridge.</summary>
    private static string NodeAddress(int index) => string.Create(CultureInfo.InvariantCulture, $"172.18.0.{10 + index}");

    private static void WaitReady(IReadOnlyList<LabNode> nodes) =>
        InParallel(nodes, node => NodeAgent.WaitReady(node, ReadyTimeout));

    /// <summary>Parallel.ForEach, failing with the first node's own error rather than an AggregateException of them.</summary>
    private static void InParallel(IReadOnlyList<LabNode> nodes, Action<LabNode> action)
    {
        try
        {
            Parallel.ForEach(nodes, action);
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.Flatten().InnerExceptions[0]);
        }
    }

    /// <summary>The pool, the AS and mesh switch, and the router as a global peer (allowing our AS back in without as-override).</summary>
    private static async Task ConfigureDatastoreAsync(LabState state, LabOptions options, CancellationToken cancellationToken)
    {
        var store = await StoreFactory.OpenAsync(DatastoreUrl.Resolve(state.Datastore), cancellationToken).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            await store.CreateAsync(new IPPool { Metadata = new ObjectMeta { Name = "lab-pool" }, Spec = new IPPoolSpec { Cidr = PoolCidr, BlockSize = BlockSize } }, cancellationToken).ConfigureAwait(false);
            await store.CreateAsync(new BGPConfiguration
            {
                Metadata = new ObjectMeta { Name = "default" },
                Spec = new BGPConfigurationSpec { AsNumber = TorRouter.NodeAsNumber, NodeToNodeMesh = options.NoMesh ? false : null },
            }, cancellationToken).ConfigureAwait(false);
            if (options.Tor is not null)
            {
                await store.CreateAsync(new BGPPeer
                {
                    Metadata = new ObjectMeta { Name = "tor" },
                    Spec = new BGPPeerSpec
                    {
                        PeerIP = LabTopology.Gateway,
                        AsNumber = TorRouter.AsNumber,
                        // A ToR without as-override sends every node's block back with AS 64512 in
                        // the path, which each other node would drop as a loop (RFC 4271 §9.1.2).
                        NumAllowedLocalASNumbers = options.NoAsOverride ? TorRouter.AllowedLocalAsWithoutOverride : null,
                    },
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PrintNodeStatusAsync(LabState state, CancellationToken cancellationToken)
    {
        foreach (var node in state.Nodes)
        {
            output.WriteLine($"--- routednetctl node status --node-socket {node.ApiSocket}");
            output.Write(await NodeStatusView.ReadAndRenderAsync(node.ApiSocket, Output.OutputFormat.Table, cancellationToken).ConfigureAwait(false));
        }
    }
}
