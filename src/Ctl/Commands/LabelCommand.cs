using System.CommandLine;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `label KIND NAME key=value … key- …` (kubectl label): sets and removes labels on one object,
/// compare-and-swap on its revision, so a concurrent writer (the agent keeping its Node) loses
/// nothing: on a conflict the object is read again and the change re-applied. Two kinds are what
/// policy selects on and live elsewhere per datastore: `pod NAMESPACE/NAME` is the pod's
/// WorkloadEndpoint(s) on sqlite/etcd and the core Pod on kubernetes; `namespace NAME` is the
/// routednet.io Namespace on sqlite/etcd and the core Namespace on kubernetes.
/// </summary>
internal static class LabelCommand
{
    public static Command Build(Option<string?> datastore)
    {
        var kindArgument = new Argument<string>("KIND") { Description = "Resource kind, e.g. node, ippool, bgppeer; pod (NAME is NAMESPACE/NAME) or namespace" };
        var nameArgument = new Argument<string>("NAME") { Description = "The object to label" };
        var changes = new Argument<string[]>("LABEL") { Description = "key=value to set, key- to remove", Arity = ArgumentArity.OneOrMore };
        var overwrite = new Option<bool>("--overwrite") { Description = "Allow changing the value of a label that is already set" };
        var command = new Command("label", "Set (key=value) or remove (key-) labels of one object, like kubectl label") { kindArgument, nameArgument, changes, overwrite };
        command.SetAction((parse, _) => CtlRunner.RunAsync(parse.GetValue(datastore), async store =>
        {
            var kindName = parse.GetValue(kindArgument)!;
            var name = parse.GetValue(nameArgument)!;
            var parsed = parse.GetValue(changes)!.Select(LabelChange.Parse).ToList();
            var what = await ChangeAsync(store, IsKubernetes(parse.GetValue(datastore)), kindName, name, parsed, parse.GetValue(overwrite), default).ConfigureAwait(false);
            Console.WriteLine($"{what} labeled");
            return 0;
        }));
        return command;
    }

    /// <summary>What was labelled ("pod x/a", "Node \"n1\""), for the command's output.</summary>
    public static async Task<string> ChangeAsync(IStore store, bool kubernetes, string kindName, string name, IReadOnlyList<LabelChange> changes, bool overwrite, CancellationToken cancellationToken)
    {
        switch (kindName.ToLowerInvariant())
        {
            case "pod" or "pods" or "po":
                var (ns, pod) = Labeling.SplitPod(name);
                if (kubernetes)
                {
                    using var api = KubeApi.Open(KubeconfigFlag.Current);
                    await KubeLabels.ChangeAsync(api, KubeResource.Pods, ns, pod, changes, overwrite, $"pod {ns}/{pod}", cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Labeling.LabelPodEndpointsAsync(store, ns, pod, changes, overwrite, cancellationToken).ConfigureAwait(false);
                }
                return $"pod {ns}/{pod}";
            case "namespace" or "namespaces" or "ns" when kubernetes:
                using (var api = KubeApi.Open(KubeconfigFlag.Current))
                {
                    await KubeLabels.ChangeAsync(api, KubeResource.Namespaces, null, name, changes, overwrite, $"namespace {name}", cancellationToken).ConfigureAwait(false);
                }
                return $"namespace {name}";
            case "namespace" or "namespaces" or "ns":
                await Labeling.LabelAsync(store, Labeling.Namespaces, name, changes, overwrite, cancellationToken).ConfigureAwait(false);
                return $"namespace {name}";
            default:
                var kind = Kinds.Find(kindName);
                await Labeling.LabelAsync(store, kind, name, changes, overwrite, cancellationToken).ConfigureAwait(false);
                return $"{kind.Kind} \"{name}\"";
        }
    }

    private static bool IsKubernetes(string? datastore) => DatastoreUrl.Resolve(datastore).Kind == DatastoreKind.Kubernetes;
}
