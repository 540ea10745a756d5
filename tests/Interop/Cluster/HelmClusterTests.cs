using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RoutedNet.Tests.Interop.KubeApi;
using RoutedNet.Tests.KubeCluster;
using RoutedNet.Tests.TestKit;
using Xunit.Abstractions;

namespace RoutedNet.Tests.Interop.Cluster;

/// <summary>
/// The chart on a cluster, the way a user runs it (issue 15 "The proof"): three nodes in network
/// namespaces played by tests/KubeCluster (the stand-in API server, a kubelet per node running the
/// DaemonSet's pod from the image with podman, CNI for the other pods), the real helm installing
/// charts/routednet with a BIRD ToR peering whose MD5 password is in a Secret; every pod reaches
/// every other pod; a Kubernetes NetworkPolicy and a routednet.io GlobalNetworkPolicy applied with
/// kubectl are enforced across nodes and follow pod labels; `helm upgrade` to a new image tag rolls the agents one node at a time while
/// pods ping each other at 10 pps without losing a packet or an address; `helm uninstall` leaves
/// no conflist, binaries or routes on any node, and (its post-delete hook Job) no routednet.io
/// object but the operator's policies, no Node annotation or hook object in the API.
/// </summary>
public sealed class HelmClusterTests(ITestOutputHelper output)
{
    private const string TorPassword = "ToR-md5-s3cret";
    private const int RouteProtocol = 80; // src/Netlink/Routes/RouteProtocol.cs: RoutedNet

    /// <summary>out/image/routednet.tar (`./build.sh image`), or $RNT_IMAGE_ARCHIVE.</summary>
    private static string ImageArchive => Environment.GetEnvironmentVariable("RNT_IMAGE_ARCHIVE") ?? Path.Combine(RepoPaths.Root, "out", "image", "routednet.tar");

    /// <summary>charts/routednet, or $RNT_CHART (another copy of the chart).</summary>
    private static string Chart => Environment.GetEnvironmentVariable("RNT_CHART") ?? Path.Combine(RepoPaths.Root, "charts", "routednet");

    [Fact]
    public async Task HelmInstallUpgradeUninstall_ThreeNodes_PodsReachEachOtherWithoutLossAndNodesEndClean()
    {
        _ = KubeTools.Helm; // the pinned helm and kubectl, or a failure naming the install command
        _ = KubeTools.Kubectl;
        await using var cluster = await Tests.KubeCluster.Cluster.StartAsync(new ClusterOptions { Nodes = 3, ImageArchive = ImageArchive });
        var plane = cluster.ControlPlane;
        var (repository, tag) = SplitReference(cluster.Images.Single());
        await Kubectl(plane, "-n", "kube-system", "create", "secret", "generic", "tor-bgp", "--from-literal=password=" + TorPassword);
        using var bird = await TorBird.StartAsync(cluster, TorPassword);
        var values = Path.Combine(cluster.Dir, "values.yaml");
        await File.WriteAllTextAsync(values, $"""
            image:
              tag: "{tag}"
            bgp:
              peers:
                - name: tor
                  peerIP: {ClusterNetwork.Gateway}
                  asNumber: {TorBird.AsNumber}
                  password:
                    secretName: tor-bgp
                    key: password

            """);

        // 1. Install, and pods on every node.
        var clock = Stopwatch.StartNew();
        await Helm(plane, "install", "routednet", Chart, "--namespace", "kube-system", "--values", values);
        var pods = new List<(string Name, string Node)>();
        foreach (var kubelet in cluster.Kubelets)
        {
            for (var i = 1; i <= 2; i++)
            {
                var name = $"ping-{kubelet.Node.Name}-{i}";
                await cluster.CreatePodAsync("default", name, kubelet.Node.Name);
                pods.Add((name, kubelet.Node.Name));
            }
        }
        var ips = await WaitPodIpsAsync(cluster, pods.Select(p => p.Name), TimeSpan.FromMinutes(3));
        await Eventually.Until(async () => await AllReachAsync(cluster, pods, ips), "every pod reaching every other pod", TimeSpan.FromMinutes(2));
        var installToReachable = clock.Elapsed;
        output.WriteLine($"helm install -> all {pods.Count} pods reachable from each other: {installToReachable.TotalSeconds:F1} s");

        // 2. The ToR learned every node's block, over sessions signed with the Secret's MD5 key.
        var blocks = await BlocksByNodeAsync(plane);
        Assert.Equal(cluster.Kubelets.Select(k => k.Node.Name).Order(), blocks.Keys.Order());
        try
        {
            await Eventually.Until(
                () => cluster.Kubelets.All(k => bird.Established(k.Node.Name) && blocks[k.Node.Name].All(b => bird.Learned(b, k.Node.Name, k.Node.Address))),
                "BIRD learning every node's block over MD5 sessions",
                TimeSpan.FromMinutes(1));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; BIRD sees:\n{bird.Cli("show protocols")}{bird.Cli("show route")}", e);
        }

        // 3. Network policy as a user writes it, with kubectl: a Kubernetes NetworkPolicy lets into
        // the locked pod only pods that have a role, and a routednet.io GlobalNetworkPolicy (the
        // chart's CRD) in the admin tier denies role=blocked ahead of it. Pods on three nodes.
        var (locked, friend, stranger) = (pods[0], pods[2], pods[4]);
        await Kubectl(plane, "label", "pod", locked.Name, "role=locked");
        await Kubectl(plane, "label", "pod", friend.Name, "role=friend");
        var policies = Path.Combine(cluster.Dir, "policies.yaml");
        await File.WriteAllTextAsync(policies, """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: locked-ingress, namespace: default}
            spec:
              podSelector: {matchLabels: {role: locked}}
              policyTypes: [Ingress]
              ingress:
              - from: [{podSelector: {matchExpressions: [{key: role, operator: Exists}]}}]
            ---
            apiVersion: routednet.io/v1
            kind: GlobalNetworkPolicy
            metadata: {name: deny-blocked}
            spec:
              tier: admin
              selector: role == 'locked'
              types: [Ingress]
              ingress:
              - {action: Deny, source: {selector: role == 'blocked'}}
              - {action: Pass}

            """);
        await Kubectl(plane, "apply", "-f", policies);
        var lockedIp = ips[locked.Name];
        await Eventually.Until(async () => await PingsAsync(cluster, friend, lockedIp) && !await PingsAsync(cluster, stranger, lockedIp), "the locked pod to take only pods with a role (friend in, stranger out)", TimeSpan.FromMinutes(1));
        await Kubectl(plane, "label", "pod", stranger.Name, "role=guest");
        await Eventually.Until(() => PingsAsync(cluster, stranger, lockedIp), "the stranger, given role=guest, to reach the locked pod", TimeSpan.FromMinutes(1));
        await Kubectl(plane, "label", "pod", stranger.Name, "role=blocked", "--overwrite");
        await Eventually.Until(async () => !await PingsAsync(cluster, stranger, lockedIp) && await PingsAsync(cluster, friend, lockedIp), "the admin tier's Deny to keep role=blocked out ahead of the Kubernetes policy", TimeSpan.FromMinutes(1));
        // The locked pod unlabelled: no policy selects it any more, and every pod reaches it again.
        await Kubectl(plane, "label", "pod", locked.Name, "role-");
        await Eventually.Until(async () => await AllReachAsync(cluster, pods, ips), "every pod reaching every other pod once no policy selects any", TimeSpan.FromMinutes(1));

        // 4. An agent killed (SIGKILL) is restarted by its kubelet in the same pod; the pods keep their network.
        var crashed = (await AgentPodsAsync(plane)).Single(a => (string?)a["spec"]!["nodeName"] == "node1");
        var crashedName = (string)crashed["metadata"]!["name"]!;
        await cluster.Podman.CheckAsync("kill", "--signal", "KILL", $"{cluster.Network.Prefix}-{crashedName}-{(string)crashed["spec"]!["containers"]![0]!["name"]!}");
        await Eventually.Until(
            async () => await plane.Api.GetAsync($"/api/v1/namespaces/kube-system/pods/{crashedName}") is { } pod
                && (int?)pod["status"]?["containerStatuses"]?[0]?["restartCount"] == 1 && DaemonSetController.Ready(pod),
            "the kubelet restarting the killed agent in its pod (restartCount 1, Ready)",
            TimeSpan.FromMinutes(1));
        Assert.True(await AllReachAsync(cluster, pods, ips));

        // 5. helm upgrade to a new tag under 10 pps pings across nodes.
        var newTag = tag + "-upgrade";
        await cluster.Podman.CheckAsync("tag", cluster.Images.Single(), $"{repository}:{newTag}");
        var oldAgents = (await AgentPodsAsync(plane)).Select(p => (string)p["metadata"]!["uid"]!).ToHashSet();
        var flows = pods.Select((p, i) => (From: p, To: pods[(i + 2) % pods.Count]))
            .Select(f => PingFlow.Start($"{f.From.Name}-{f.To.Name}", cluster.Kubelet(f.From.Node).PodNetns(Uid(cluster, f.From.Name))!, ips[f.To.Name], cluster.Dir))
            .ToList();
        var pingClock = Stopwatch.StartNew();
        try
        {
            await Task.Delay(2000);
            clock.Restart();
            await Helm(plane, "upgrade", "routednet", Chart, "--namespace", "kube-system", "--reuse-values", "--set", "image.tag=" + newTag);
            var worstUnavailable = 0;
            var timeline = new Dictionary<string, string>(StringComparer.Ordinal);
            await Eventually.Until(
                async () =>
                {
                    var agents = await AgentPodsAsync(plane);
                    foreach (var kubelet in cluster.Kubelets)
                    {
                        var state = string.Join(" ", agents.Where(a => (string?)a["spec"]!["nodeName"] == kubelet.Node.Name)
                            .Select(a => $"{(oldAgents.Contains((string)a["metadata"]!["uid"]!) ? "old" : "new")}:{(a["metadata"]!["deletionTimestamp"] is null ? DaemonSetController.Ready(a) ? "ready" : "starting" : "terminating")}"));
                        if (timeline.GetValueOrDefault(kubelet.Node.Name) != state)
                        {
                            timeline[kubelet.Node.Name] = state;
                            output.WriteLine($"  {pingClock.Elapsed.TotalSeconds:F1} s after the pings started: {kubelet.Node.Name} agent {(state.Length == 0 ? "none" : state)}");
                        }
                    }
                    worstUnavailable = Math.Max(worstUnavailable, cluster.Kubelets.Count(k => !agents.Any(a => (string?)a["spec"]!["nodeName"] == k.Node.Name && DaemonSetController.Ready(a) && a["metadata"]!["deletionTimestamp"] is null)));
                    return agents.Count == cluster.Kubelets.Count
                        && agents.All(a => !oldAgents.Contains((string)a["metadata"]!["uid"]!) && DaemonSetController.Ready(a) && ((string)a["spec"]!["containers"]![0]!["image"]!).EndsWith(":" + newTag, StringComparison.Ordinal));
                },
                "the DaemonSet rolled to the new tag on every node",
                TimeSpan.FromMinutes(4));
            output.WriteLine($"helm upgrade -> every agent on {newTag} and ready: {clock.Elapsed.TotalSeconds:F1} s; most nodes without a ready agent at once: {worstUnavailable}");
            await Task.Delay(3000);
            Assert.Equal(1, worstUnavailable);
        }
        finally
        {
            var results = flows.Select(f => (f.Label, Result: f.Stop())).ToList();
            foreach (var flow in flows)
            {
                flow.Dispose();
            }
            var answered = results.Sum(r => r.Result.Answered);
            var lost = results.Sum(r => r.Result.Lost.Count);
            output.WriteLine($"pings during the upgrade (10 pps, {results.Count} flows across nodes): {answered} answered, {lost} lost"
                + string.Concat(results.Where(r => r.Result.Lost.Count > 0).Select(r => $"; {r.Label} lost icmp_seq {string.Join(',', r.Result.Lost)} (~{r.Result.Lost[0] / 10.0:F1} s after the pings started)")));
            Assert.Equal(0, lost);
        }
        Assert.Equal(ips, await WaitPodIpsAsync(cluster, pods.Select(p => p.Name), TimeSpan.FromSeconds(10)));
        foreach (var (name, node) in pods)
        {
            var addr = Proc.Check("ip", "-n", cluster.Kubelet(node).PodNetns(Uid(cluster, name))!, "-4", "addr", "show", "eth0").Stdout;
            Assert.Contains(ips[name] + "/", addr, StringComparison.Ordinal);
        }

        // 6. helm uninstall: the agents saw their DaemonSet deleted (by watch: by SIGTERM helm has
        // deleted their ServiceAccount and RBAC too, so a GET then is refused) and clean their nodes;
        // the post-delete hook (a host-network Job with its own RBAC, which helm waits for) removes
        // every routednet.io object and the Nodes' routednet.io annotations, and helm deletes the
        // hook's Job and RBAC once it succeeded.
        Assert.NotEmpty(await plane.Api.ListAsync("/apis/routednet.io/v1/ipamhandles"));
        clock.Restart();
        var uninstall = await plane.HelmAsync("uninstall", "routednet", "--namespace", "kube-system");
        var uninstallTook = clock.Elapsed;
        uninstall.EnsureSuccess();
        output.WriteLine($"helm uninstall (post-delete hook included) returned after {uninstallTook.TotalSeconds:F1} s: {uninstall.Stdout.Trim()}");
        foreach (var plural in CrdPlurals.Except(PolicyPlurals))
        {
            Assert.Empty(await plane.Api.ListAsync($"/apis/routednet.io/v1/{plural}"));
        }
        // The policies are the operator's: uninstall leaves them (and helm keeps the CRDs).
        Assert.NotNull(await plane.Api.GetAsync("/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/locked-ingress"));
        Assert.NotNull(await plane.Api.GetAsync("/apis/routednet.io/v1/globalnetworkpolicies/deny-blocked"));
        foreach (var node in await plane.Api.ListAsync("/api/v1/nodes"))
        {
            var keys = (node["metadata"]!["annotations"] as JsonObject)?.Select(a => a.Key) ?? [];
            Assert.DoesNotContain(keys, k => k.StartsWith("routednet.io/", StringComparison.Ordinal));
        }
        Assert.Equal(cluster.Kubelets.Count, (await plane.Api.ListAsync("/api/v1/nodes")).Count);
        foreach (var hook in (string[])[
            "/apis/batch/v1/namespaces/kube-system/jobs/routednet-uninstall",
            "/api/v1/namespaces/kube-system/serviceaccounts/routednet-uninstall",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/routednet-uninstall",
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/routednet-uninstall"])
        {
            Assert.Null(await plane.Api.GetAsync(hook));
        }
        await Eventually.Until(async () => (await plane.Api.ListAsync("/api/v1/namespaces/kube-system/pods")).Count == 0, "the agents' and the hook's pods gone", TimeSpan.FromMinutes(2));
        foreach (var kubelet in cluster.Kubelets)
        {
            var node = kubelet.Node;
            Assert.Empty(Directory.EnumerateFiles(node.HostPath("/etc/cni/net.d")));
            Assert.Empty(Directory.EnumerateFiles(node.HostPath("/opt/cni/bin")));
            Assert.Equal("", Proc.Check("ip", "-n", node.Netns, "route", "show", "proto", RouteProtocol.ToString(CultureInfo.InvariantCulture)).Stdout.Trim());
        }
        Assert.Equal("", (await cluster.Podman.CheckAsync("ps", "--all", "--quiet")).Trim());
    }

    /// <summary>Every routednet.io kind's resource (charts/routednet/crds/PLURAL.routednet.io.yaml).</summary>
    private static IEnumerable<string> CrdPlurals =>
        Directory.EnumerateFiles(Path.Combine(Chart, "crds"), "*.routednet.io.yaml").Select(f => Path.GetFileName(f).Split('.')[0]).Order();

    /// <summary>The policy kinds' resources: operators' objects, which uninstall leaves alone.</summary>
    private static readonly string[] PolicyPlurals = ["globalnetworkpolicies", "networkpolicies"];

    private static (string Repository, string Tag) SplitReference(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return (reference[..colon], reference[(colon + 1)..]);
    }

    private static string Uid(Tests.KubeCluster.Cluster cluster, string pod) =>
        (string)cluster.ControlPlane.Api.GetAsync($"/api/v1/namespaces/default/pods/{pod}").GetAwaiter().GetResult()!["metadata"]!["uid"]!;

    private static async Task<List<JsonObject>> AgentPodsAsync(ControlPlane plane) =>
        (await plane.Api.ListAsync("/api/v1/namespaces/kube-system/pods")).Where(p => ((string?)p["metadata"]!["name"])?.StartsWith("routednet-node-", StringComparison.Ordinal) == true).ToList();

    private static async Task<Dictionary<string, string>> WaitPodIpsAsync(Tests.KubeCluster.Cluster cluster, IEnumerable<string> names, TimeSpan timeout)
    {
        var ips = new Dictionary<string, string>(StringComparer.Ordinal);
        await Eventually.Until(
            async () =>
            {
                foreach (var name in names)
                {
                    var pod = await cluster.ControlPlane.Api.GetAsync($"/api/v1/namespaces/default/pods/{name}");
                    if ((string?)pod?["status"]?["podIPs"]?[0]?["ip"] is not { } ip)
                    {
                        return false;
                    }
                    ips[name] = ip;
                }
                return true;
            },
            "status.podIPs of every pod",
            timeout);
        return ips;
    }

    private static async Task<bool> AllReachAsync(Tests.KubeCluster.Cluster cluster, List<(string Name, string Node)> pods, Dictionary<string, string> ips)
    {
        var pings = from a in pods
                    from b in pods
                    where a != b
                    select PingsAsync(cluster, a, ips[b.Name]);
        return (await Task.WhenAll(pings)).All(ok => ok);
    }

    /// <summary>One ping (1 s to answer) from pod <paramref name="from"/>'s network namespace to <paramref name="ip"/>.</summary>
    private static async Task<bool> PingsAsync(Tests.KubeCluster.Cluster cluster, (string Name, string Node) from, string ip) =>
        (await Proc.RunAsync("ip", ["netns", "exec", cluster.Kubelet(from.Node).PodNetns(Uid(cluster, from.Name))!, "ping", "-c", "1", "-W", "1", ip])).Succeeded;

    /// <summary>The blocks each node holds, from its BlockAffinities (spec.node, spec.cidr).</summary>
    private static async Task<Dictionary<string, List<string>>> BlocksByNodeAsync(ControlPlane plane) =>
        (await plane.Api.ListAsync("/apis/routednet.io/v1/blockaffinities"))
            .GroupBy(a => (string)a["spec"]!["node"]!)
            .ToDictionary(g => g.Key, g => g.Select(a => (string)a["spec"]!["cidr"]!).ToList(), StringComparer.Ordinal);

    private static async Task Helm(ControlPlane plane, params string[] args) => (await plane.HelmAsync(args)).EnsureSuccess();

    private static async Task Kubectl(ControlPlane plane, params string[] args) => (await plane.KubectlAsync(args)).EnsureSuccess();
}
