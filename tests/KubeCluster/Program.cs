// routednet-test-cluster: the kubelet-player harness as a command, to explore by hand what the
// chart does on a cluster (README "Testing"; tests/KubeCluster/cluster.sh runs it).
//   routednet-test-cluster up [--nodes N] [--image ARCHIVE] [--dir DIR]
// brings up the stand-in API server, N nodes, their kubelets and the DaemonSet controller, prints
// how to reach it with helm and kubectl, and stays in the foreground; Ctrl-C (or SIGTERM) takes it
// all down again.
using System.Globalization;
using System.Runtime.InteropServices;
using RoutedNet.Tests.KubeCluster;
using RoutedNet.Tests.TestKit;

const string Usage = "usage: routednet-test-cluster up [--nodes N] [--image ARCHIVE] [--dir DIR]";
if (args.Length == 0 || args[0] != "up")
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var nodes = 3;
var image = Path.Combine(RepoPaths.Root, "out", "image", "routednet.tar");
string? dir = null;
for (var i = 1; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--nodes" when int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 50:
            nodes = n;
            i++;
            break;
        case "--image" when value is not null:
            image = Path.GetFullPath(value);
            i++;
            break;
        case "--dir" when value is not null:
            dir = Path.GetFullPath(value);
            i++;
            break;
        default:
            Console.Error.WriteLine($"routednet-test-cluster: bad argument {args[i]}\n{Usage}");
            return 2;
    }
}

Cluster cluster;
try
{
    cluster = await Cluster.StartAsync(new ClusterOptions { Nodes = nodes, ImageArchive = image, Dir = dir });
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"routednet-test-cluster: {e.Message.Split('\n')[0]}");
    return 1;
}
var tor = cluster.Network.TorNamespace;
var kubeconfig = cluster.ControlPlane.KubeconfigPath;
var nodeList = string.Join(", ", cluster.Kubelets.Select(k => $"{k.Node.Name} {k.Node.Address} netns {k.Node.Netns}"));
var tag = cluster.Images.FirstOrDefault()?.Split(':')[^1] ?? "";
const string bind = """{"spec":{"nodeName":"node1"}}""";
Console.WriteLine($$"""
    cluster up: {{nodes}} nodes ({{nodeList}})
    API server https://{{ClusterNetwork.Gateway}}:{{ControlPlane.Port}} in netns {{tor}}; image(s) loaded: {{string.Join(", ", cluster.Images)}}
    node roots (hostPath volumes): {{Path.Combine(cluster.Dir, "nodes")}}/NODE

    From another shell (helm and kubectl run inside the tor namespace):
      export KUBECONFIG={{kubeconfig}}
      ip netns exec {{tor}} helm install routednet charts/routednet -n kube-system --set image.tag={{tag}}
      ip netns exec {{tor}} kubectl -n kube-system get pods -o wide
      ip netns exec {{tor}} kubectl run ping --image=x --overrides='{{bind}}'
      ip netns exec {{tor}} helm uninstall routednet -n kube-system
    Pods' network namespaces are {{cluster.Network.Prefix}}-p-*; Ctrl-C takes everything down.
    """);

using var done = new SemaphoreSlim(0);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
{
    c.Cancel = true;
    done.Release();
});
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    done.Release();
});
await done.WaitAsync();
Console.WriteLine("taking the cluster down ...");
await cluster.DisposeAsync();
return 0;
