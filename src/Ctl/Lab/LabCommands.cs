using System.CommandLine;
using RoutedNet.Ctl.Lab.Netpol;
using RoutedNet.Ctl.Output;
using RoutedNet.Datastore;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// `routednetctl lab up|status|ping|add-pod|del-pod|add-service|del-service|restart-node|add-node|down`: a routed cluster
/// of namespaces on this machine (see README, ./lab.sh). Errors: one line on stderr, exit codes as
/// everywhere (<see cref="CtlExitCode"/>).
/// </summary>
internal static partial class LabCommands
{
    public static Command Build()
    {
        var labDir = new Option<string>("--lab-dir")
        {
            Description = $"The lab's state directory (state file, datastore, sockets, logs); default $ROUTEDNET_LAB_DIR, else {LabDirectory.Default}",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ROUTEDNET_LAB_DIR") is { Length: > 0 } dir ? dir : LabDirectory.Default,
            Recursive = true,
        };
        return new Command("lab", "A routed cluster on this machine: a tor namespace, node namespaces running routednet-node, pods wired by the CNI plugin")
        {
            labDir, Up(labDir), Status(labDir), PingCommand(labDir), AddPod(labDir), DelPod(labDir), RestartNode(labDir), AddNode(labDir), Down(labDir), Probe(labDir), Netpol(labDir), Serve(),
            AddService(labDir), DelService(labDir),
        };
    }

    private static Command Up(Option<string> labDir)
    {
        var nodes = new Option<int>("--nodes") { Description = "Number of nodes", DefaultValueFactory = _ => 3 };
        var pods = new Option<int>("--pods-per-node") { Description = "Pods per node", DefaultValueFactory = _ => 2 };
        var tor = new Option<string?>("--tor") { Description = "An external router in the tor namespace peering eBGP with every node: bird, frr or gobgp" };
        tor.AcceptOnlyFromAmong(TorRouter.Kinds);
        var noMesh = new Option<bool>("--no-mesh") { Description = "Turn the node-to-node mesh off (BGPConfiguration nodeToNodeMesh false): routes go via the router" };
        var noAsOverride = new Option<bool>("--no-as-override")
        {
            Description = $"With --tor bird|frr: the router sends the nodes' routes back with their AS {TorRouter.NodeAsNumber} in the path (no as-override), and the lab's BGPPeer takes them with numAllowedLocalASNumbers: 1, as Calico users peer with such a ToR",
        };
        var prefix = new Option<string>("--prefix") { Description = "Namespace name prefix (must start with rnlab)", DefaultValueFactory = _ => "rnlab" };
        var backend = new Option<string>("--bgp-backend") { Description = "The agents' BGP implementation: builtin, or gobgp (every node gets its own gobgpd, driven by its agent)", DefaultValueFactory = _ => "builtin" };
        backend.AcceptOnlyFromAmong("builtin", "gobgp");
        var up = new Command("up", "Create the lab (removing a previous one in the same directory), wait for routes, print node status and the pod connectivity matrix")
        {
            nodes, pods, tor, noMesh, noAsOverride, prefix, backend,
        };
        up.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            var options = new LabOptions(parse.GetValue(nodes), parse.GetValue(pods), parse.GetValue(tor), parse.GetValue(noMesh), parse.GetValue(prefix)!, parse.GetValue(backend)!, parse.GetValue(noAsOverride));
            if (options.Nodes is < 1 or > 200 || options.PodsPerNode is < 0 or > 250)
            {
                throw new CtlException("--nodes must be 1..200 and --pods-per-node 0..250");
            }
            if (!options.Prefix.StartsWith("rnlab", StringComparison.Ordinal) || options.Prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            {
                throw new CtlException("--prefix must start with rnlab and hold only letters, digits and '-'");
            }
            if (options.NoMesh && options.Tor is null)
            {
                throw new CtlException("--no-mesh needs --tor: without the mesh and a router no node learns another's routes");
            }
            if (options.NoAsOverride && options.Tor is null)
            {
                throw new CtlException("--no-as-override needs --tor: it is how the router sends the nodes' routes back");
            }
            if (options.NoAsOverride && options.Tor == "gobgp")
            {
                throw new CtlException(TorRouter.NoAsOverrideRefusal);
            }
            try
            {
                return await lab.UpAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CtlException or DatastoreException or NetlinkException or IOException)
            {
                throw new CtlException(CtlFailure.ExitCodeOf(e), $"{e.Message} (`routednetctl lab down{LabDirFlag(lab)}` removes what was made so far)", e);
            }
        }));
        return up;
    }

    private static Command Status(Option<string> labDir)
    {
        var output = OutputOption.Create();
        var status = new Command("status", "Nodes (namespace, address, agent pid, API socket) and pods (node, namespace, addresses); -o json is a stable contract") { output };
        status.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab =>
        {
            var view = LabStatusView.Of(lab.Directory.Load());
            CtlOutput.Write(parse.GetValue(output), w => w.WriteRawValue(LabStatusView.Json(view)), _ => LabStatusView.RenderTable(view, pid => view.Nodes.Any(n => n.AgentPid == pid && LabProcess.IsRunning(pid, n.ApiSocket))));
            return Task.FromResult(0);
        }));
        return status;
    }

    private static Command PingCommand(Option<string> labDir)
    {
        var ping = new Command("ping", "All-pairs pod connectivity, source address checked at each receiver; exit 1 on any failure");
        ping.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab => Task.FromResult((int)(lab.Ping(lab.Directory.Load()).Failures == 0 ? CtlExitCode.Ok : CtlExitCode.Problem))));
        return ping;
    }

    private static Command AddPod(Option<string> labDir)
    {
        var node = new Argument<string>("NODE") { Description = "The node to run the pod on (node1, ...)" };
        var podNamespace = new Option<string?>("--pod-namespace") { Description = $"The pod's Kubernetes namespace (K8S_POD_NAMESPACE; default {LabPod.DefaultPodNamespace}); its routednet.io Namespace is created when missing" };
        var podName = new Option<string?>("--pod-name") { Description = "The pod's name (K8S_POD_NAME; default the lab's name of it, nodeN-podK)" };
        var labels = new Option<string[]>("--label") { Description = "A pod label key=value (repeatable); the WorkloadEndpoint's labels", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var ports = new Option<string[]>("--port")
        {
            Description = "A named container port NAME=PORT/PROTO, e.g. serve-80-tcp=80/TCP (repeatable): on the WorkloadEndpoint, and served by an echo server in the pod (TCP, UDP; SCTP INITs seen on a raw socket)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = OutputOption.Create();
        var add = new Command("add-pod", "A new pod on NODE, wired by a CNI ADD; prints it like a `lab status` pods entry") { node, podNamespace, podName, labels, ports, output };
        add.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab =>
        {
            var identity = Identity(parse.GetValue(podNamespace), parse.GetValue(podName), parse.GetValue(labels) ?? [], parse.GetValue(ports) ?? []);
            var state = lab.Directory.Load();
            var format = parse.GetValue(output);
            var structured = format is OutputFormat.Json or OutputFormat.Yaml;
            var quietLab = structured ? new Lab(lab.Directory, TextWriter.Null) : lab;
            var pod = quietLab.AddPod(state, Lab.Node(state, parse.GetValue(node)!), identity);
            if (structured)
            {
                CtlOutput.Write(format, w => w.WriteRawValue(LabStatusView.Json(LabStatusView.Of(pod))), _ => "");
            }
            return Task.FromResult(0);
        }));
        return add;
    }

    /// <summary>null when none of the identity flags is given: the pod is the lab's plain nodeN-podK in namespace "lab".</summary>
    private static PodIdentity? Identity(string? podNamespace, string? podName, string[] labels, string[] ports)
    {
        if (podNamespace is null && podName is null && labels.Length == 0 && ports.Length == 0)
        {
            return null;
        }
        foreach (var (flag, value) in new[] { ("--pod-namespace", podNamespace), ("--pod-name", podName) })
        {
            if (value is not null && (value.Length is 0 or > 63 || !DnsLabel().IsMatch(value)))
            {
                throw new CtlException($"{flag} \"{value}\" must be a DNS label: at most 63 of a-z, 0-9 and '-', starting and ending with a letter or digit");
            }
        }
        var parsedLabels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var change in labels.Select(Resources.LabelChange.Parse))
        {
            parsedLabels[change.Key] = change.Value ?? throw new CtlException($"--label {change.Key}- removes a label; add-pod takes key=value");
        }
        var parsedPorts = ports.Select(PodServer.ParsePort).ToList();
        if (parsedPorts.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new CtlException($"--port name {twice.Key} is given twice");
        }
        return new PodIdentity(podNamespace ?? LabPod.DefaultPodNamespace, podName, parsedLabels, parsedPorts);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex DnsLabel();

    private static Command Probe(Option<string> labDir)
    {
        var from = new Argument<string>("FROM") { Description = "The source pod (lab name or NAMESPACE/NAME)" };
        var to = new Argument<string>("TO") { Description = "The destination pod (lab name or NAMESPACE/NAME); its server must serve the port" };
        var port = new Option<string>("--port") { Description = "PORT/PROTO, e.g. 80/TCP, 81/UDP, 80/SCTP", Required = true };
        var probe = new Command("probe", "One conformance probe (TCP connect, UDP echo, SCTP INIT seen) from a pod to another pod's address, 1 s timeout, one retry; exit 1 when blocked")
        {
            from, to, port,
        };
        probe.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            var state = lab.Directory.Load();
            var (source, target) = (Lab.Pod(state, parse.GetValue(from)!), Lab.Pod(state, parse.GetValue(to)!));
            var wanted = PodServer.ParsePort("p=" + parse.GetValue(port)!);
            var allowed = await PolicyProbe.ProbeAsync(lab.Directory, source, target, wanted.Port, wanted.Protocol).ConfigureAwait(false)
                || await PolicyProbe.ProbeAsync(lab.Directory, source, target, wanted.Port, wanted.Protocol).ConfigureAwait(false);
            Console.WriteLine($"{source.Identity} -> {target.Identity} {wanted.Port}/{wanted.Protocol}: {(allowed ? "allowed" : "blocked")}");
            return allowed ? 0 : 1;
        }));
        return probe;
    }

    private static Command Netpol(Option<string> labDir)
    {
        var cases = new Option<string?>("--cases") { Description = "The case file (default the repository's tests/netpol/cases.yaml, or $ROUTEDNET_NETPOL_CASES)" };
        var include = new Option<string[]>("--include") { Description = "Only cases with this tag (repeatable: any of them), e.g. e2e, U, NP, S, GNP", Arity = ArgumentArity.OneOrMore };
        var only = new Option<string[]>("--case") { Description = "Only this case, by its short name (C1) or full name (repeatable)", Arity = ArgumentArity.OneOrMore };
        var netpol = new Command(
            "netpol",
            "The NetworkPolicy conformance suite on the lab (3 nodes): namespaces x, y, z with pods a, b, c placed as a Latin square; each case's policies and labels through the datastore, waits until every node enforces them, probes the 9x9 matrix of each probe line and prints expected vs observed; exit 1 on any wrong cell")
        {
            cases, include, only,
        };
        netpol.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            var path = parse.GetValue(cases) ?? NetpolCaseFile.DefaultPath()
                ?? throw new CtlException("no case file found (tests/netpol/cases.yaml of the repository): give --cases FILE");
            var all = NetpolCaseFile.Load(path);
            var tags = parse.GetValue(include) ?? [];
            var names = parse.GetValue(only) ?? [];
            foreach (var name in names.Where(n => !all.Any(c => c.ShortName == n || c.Name == n)))
            {
                throw new CtlException($"no case {name} in {path} (cases: {string.Join(", ", all.Select(c => c.ShortName))})");
            }
            var chosen = all.Where(c => (tags.Length == 0 || c.Tags.Any(tags.Contains)) && (names.Length == 0 || names.Any(n => c.ShortName == n || c.Name == n))).ToList();
            if (chosen.Count == 0)
            {
                throw new CtlException($"no case of {path} has tag {string.Join(" or ", tags)}");
            }
            var state = lab.Directory.Load();
            var store = await StoreFactory.OpenAsync(DatastoreUrl.Resolve(state.Datastore), cancellationToken).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                return await new NetpolRunner(lab, state, store, Console.Out).RunAsync(chosen, cancellationToken).ConfigureAwait(false);
            }
        }));
        return netpol;
    }

    private static Command Serve()
    {
        var control = new Option<string>("--control") { Description = "The control socket (a path)", Required = true };
        var listen = new Option<string[]>("--listen") { Description = "PORT/PROTO to serve (repeatable)", Arity = ArgumentArity.OneOrMore };
        var serve = new Command("serve", "A pod's echo server (started by add-pod inside the pod's namespace)") { control, listen };
        serve.Hidden = true;
        serve.SetAction((parse, cancellationToken) => CtlFailure.RunAsync(() =>
            PodServerProcess.RunAsync(parse.GetValue(control)!, parse.GetValue(listen) ?? [], cancellationToken)));
        return serve;
    }

    private static Command DelPod(Option<string> labDir)
    {
        var pod = new Argument<string>("POD") { Description = "The pod to delete, by its lab name or NAMESPACE/NAME (its server stopped, CNI DEL, then its network namespace)" };
        var del = new Command("del-pod", "Delete a pod: CNI DEL, then its network namespace") { pod };
        del.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab =>
        {
            var state = lab.Directory.Load();
            lab.DelPod(state, Lab.Pod(state, parse.GetValue(pod)!));
            return Task.FromResult(0);
        }));
        return del;
    }

    private static Command RestartNode(Option<string> labDir)
    {
        var nodes = new Argument<string[]>("NODE") { Description = "The nodes whose agents restart, one at a time in this order", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every node, one at a time (a rolling restart)" };
        var kill = new Option<bool>("--kill") { Description = "SIGKILL instead of SIGTERM: the agent crashes rather than stops" };
        var restart = new Command(
            "restart-node",
            "Restart nodes' routednet-node one at a time (SIGTERM by pid, or SIGKILL with --kill), each ready with its BGP sessions up before the next; pods and routes untouched")
        {
            nodes, all, kill,
        };
        restart.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(labDir)!, async lab =>
        {
            var state = lab.Directory.Load();
            var names = parse.GetValue(nodes) ?? [];
            if (parse.GetValue(all) == (names.Length > 0))
            {
                throw new CtlException("name the nodes to restart, or give --all (not both)");
            }
            var chosen = parse.GetValue(all) ? state.Nodes.ToList() : names.Select(n => Lab.Node(state, n)).ToList();
            await lab.RestartNodesAsync(state, chosen, parse.GetValue(kill), cancellationToken).ConfigureAwait(false);
            return 0;
        }));
        return restart;
    }

    private static Command AddNode(Option<string> labDir)
    {
        var add = new Command("add-node", "A new node joins: namespace, uplink, routednet-node; meshed (or peered with the router) without restarting anything");
        add.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab =>
        {
            lab.AddNode(lab.Directory.Load());
            return Task.FromResult(0);
        }));
        return add;
    }

    private static Command Down(Option<string> labDir)
    {
        var down = new Command("down", "Remove every namespace, process and file the lab made (by recorded pid and name); idempotent");
        down.SetAction((parse, _) => RunAsync(parse.GetValue(labDir)!, lab =>
        {
            lab.Down();
            return Task.FromResult(0);
        }));
        return down;
    }

    private static string LabDirFlag(Lab lab) =>
        lab.Directory.Path == LabDirectory.Default ? "" : $" --lab-dir {lab.Directory.Path}";

    private static Task<int> RunAsync(string labDir, Func<Lab, Task<int>> action) =>
        CtlFailure.RunAsync(() => action(new Lab(new LabDirectory(labDir), Console.Out)));
}
