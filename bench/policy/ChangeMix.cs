using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.PolicyBench;

/// <summary>
/// The measured changes, in turn (each returns its write's datastore revision):
///   policy-create  a routednet.io NetworkPolicy in ns-00 selecting tier == 'web' (local pod 0):
///                  a new policy chain, the pod's endpoint chain refilled;
///   policy-update  the same policy with another port: one chain flushed and refilled;
///   policy-delete  the same policy deleted: the endpoint chain refilled, the policy chain gone;
///   k8s-update     an active Kubernetes NetworkPolicy (ns-01/knp-0) with another port;
///   label-remote   a remote pod's tier db -> api: its address leaves one set and joins another;
///   label-local    a local pod's role r0 <-> r1: the global policies that select it change.
/// </summary>
internal sealed class ChangeMix(SyntheticCluster cluster, IStore store)
{
    private static readonly string[] Kinds = ["policy-create", "policy-update", "policy-delete", "k8s-update", "label-remote", "label-local"];
    private int _remote;
    private bool _localFlipped;

    public async Task<(string Kind, long Revision)> NextAsync(int index)
    {
        var kind = Kinds[index % Kinds.Length];
        var round = index / Kinds.Length;
        string version = kind switch
        {
            "policy-create" => (await store.CreateAsync(Changed(round, 7000))).Metadata.ResourceVersion!,
            "policy-update" => (await store.UpdateAsync(Changed(round, 7500))).Metadata.ResourceVersion!,
            "policy-delete" => (await store.CommitAsync(new StoreTransaction().Delete<NetworkPolicy>($"{SyntheticCluster.Ns(0)}/bench-change"))).ResourceVersion,
            "k8s-update" => (await store.UpdateAsync(KubernetesChanged(round))).Metadata.ResourceVersion!,
            "label-remote" => (await store.UpdateAsync(cluster.Remote(NextRemote(), "api"))).Metadata.ResourceVersion!,
            _ => (await store.UpdateAsync(cluster.Local(2 % cluster.LocalPods, (_localFlipped = !_localFlipped) ? "r1" : "r0"))).Metadata.ResourceVersion!,
        };
        return (kind, long.Parse(version, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static NetworkPolicy Changed(int round, int port) => new()
    {
        Metadata = new ObjectMeta { Name = "bench-change", Namespace = SyntheticCluster.Ns(0) },
        Spec = new PolicySpec
        {
            Selector = "tier == 'web'",
            Types = [PolicySpec.TypeIngress],
            Ingress = [new PolicyRule { Action = PolicyRule.ActionAllow, Protocol = "TCP", Source = new EntityRule { Selector = $"role == 'r{round % 7}'" }, Destination = new EntityRule { Ports = [port + round] } }],
        },
    };

    private KubernetesNetworkPolicy KubernetesChanged(int round)
    {
        var policy = cluster.PolicyObjects().OfType<KubernetesNetworkPolicy>().First(p => p.Metadata.Namespace == SyntheticCluster.Ns(1) && p.Metadata.Name == "knp-0");
        var rule = policy.Spec.Ingress![0] with { Ports = [new KubernetesPort { Protocol = "TCP", Port = 8000 + round }] };
        return policy with { Spec = policy.Spec with { Ingress = [rule] } };
    }

    // A remote pod with tier db in an env=dev namespace (odd index), a new one each time: it leaves
    // the global "tier == 'db'" in env=dev set of the global policies' Deny and joins "tier == 'api'".
    private int NextRemote()
    {
        while (true)
        {
            var k = _remote++;
            if (k % 3 == 2 && k % cluster.Namespaces % 2 == 1)
            {
                return k;
            }
        }
    }
}
