using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// A pod's volumes made on its node, as kubelet makes them: hostPath is the node's directory
/// (<see cref="ClusterNode.HostPath"/>; DirectoryOrCreate creates it), configMap and secret are
/// files of their keys, emptyDir is a fresh directory, projected joins service-account tokens
/// (TokenRequest bound to the pod), ConfigMaps and the downward API. Like the ServiceAccount
/// admission plugin plus kubelet, every pod that does not opt out gets kube-api-access (token,
/// ca.crt, namespace) at /var/run/secrets/kubernetes.io/serviceaccount.
/// </summary>
public sealed class PodVolumes
{
    public const string ServiceAccountMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

    /// <summary>The node-side path of each volume, by name.</summary>
    public IReadOnlyDictionary<string, string> Paths => _paths;

    /// <summary>The directory of the automounted service-account volume, or null when the pod opted out.</summary>
    public string? ServiceAccountDir { get; private set; }

    public static async Task<PodVolumes> PrepareAsync(ClusterNode node, JsonObject pod, KubeClient api, string caPem)
    {
        var volumes = new PodVolumes();
        var ns = (string)pod["metadata"]!["namespace"]!;
        var uid = (string)pod["metadata"]!["uid"]!;
        var spec = pod["spec"]!.AsObject();
        var podDir = Path.Combine(node.PodsDir, uid, "volumes");
        foreach (var volume in spec["volumes"]?.AsArray().Select(v => v!.AsObject()) ?? [])
        {
            var name = (string)volume["name"]!;
            var dir = Path.Combine(podDir, name);
            if (volume["hostPath"] is JsonObject hostPath)
            {
                var path = node.HostPath((string)hostPath["path"]!);
                var type = (string?)hostPath["type"] ?? "";
                if (type is "DirectoryOrCreate" or "")
                {
                    Directory.CreateDirectory(path);
                }
                else if (type == "Directory" && !Directory.Exists(path))
                {
                    throw new InvalidOperationException($"hostPath {hostPath["path"]} of volume {name} is not a directory on {node.Name}");
                }
                else if (type == "FileOrCreate" && !File.Exists(path))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await File.WriteAllTextAsync(path, "").ConfigureAwait(false);
                }
                volumes._paths[name] = path;
            }
            else if (volume["configMap"] is JsonObject configMap)
            {
                await WriteConfigMapAsync(api, ns, configMap, dir).ConfigureAwait(false);
                volumes._paths[name] = dir;
            }
            else if (volume["secret"] is JsonObject secret)
            {
                await WriteSecretAsync(api, ns, secret, dir).ConfigureAwait(false);
                volumes._paths[name] = dir;
            }
            else if (volume["emptyDir"] is not null)
            {
                Directory.CreateDirectory(dir);
                volumes._paths[name] = dir;
            }
            else if (volume["projected"] is JsonObject projected)
            {
                await WriteProjectedAsync(api, pod, projected, dir, caPem).ConfigureAwait(false);
                volumes._paths[name] = dir;
            }
            else
            {
                throw new InvalidOperationException($"volume {name}: only hostPath, configMap, secret, emptyDir and projected are played");
            }
        }
        if ((bool?)spec["automountServiceAccountToken"] != false)
        {
            var dir = Path.Combine(podDir, "kube-api-access");
            var sa = (string?)spec["serviceAccountName"] ?? "default";
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "token"), await TokenAsync(api, pod, sa, null).ConfigureAwait(false)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "ca.crt"), caPem).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "namespace"), ns).ConfigureAwait(false);
            volumes.ServiceAccountDir = dir;
        }
        return volumes;
    }

    private static async Task WriteConfigMapAsync(KubeClient api, string ns, JsonObject source, string dir)
    {
        var name = (string)source["name"]!;
        var configMap = await api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/{name}").ConfigureAwait(false);
        if (configMap is null)
        {
            if ((bool?)source["optional"] == true)
            {
                Directory.CreateDirectory(dir);
                return;
            }
            throw new InvalidOperationException($"configmap {ns}/{name} not found");
        }
        var data = configMap["data"]?.AsObject().ToDictionary(p => p.Key, p => Encoding.UTF8.GetBytes((string)p.Value!)) ?? [];
        await WriteKeysAsync(dir, data, source["items"]?.AsArray()).ConfigureAwait(false);
    }

    private static async Task WriteSecretAsync(KubeClient api, string ns, JsonObject source, string dir)
    {
        var name = (string)source["secretName"]!;
        var secret = await api.GetAsync($"/api/v1/namespaces/{ns}/secrets/{name}").ConfigureAwait(false)
            ?? throw new InvalidOperationException($"secret {ns}/{name} not found");
        var data = secret["data"]?.AsObject().ToDictionary(p => p.Key, p => Convert.FromBase64String((string)p.Value!)) ?? [];
        await WriteKeysAsync(dir, data, source["items"]?.AsArray()).ConfigureAwait(false);
    }

    private static async Task WriteProjectedAsync(KubeClient api, JsonObject pod, JsonObject projected, string dir, string caPem)
    {
        var ns = (string)pod["metadata"]!["namespace"]!;
        Directory.CreateDirectory(dir);
        foreach (var source in projected["sources"]?.AsArray().Select(s => s!.AsObject()) ?? [])
        {
            if (source["serviceAccountToken"] is JsonObject token)
            {
                var sa = (string?)pod["spec"]!["serviceAccountName"] ?? "default";
                await File.WriteAllTextAsync(Path.Combine(dir, (string)token["path"]!), await TokenAsync(api, pod, sa, (string?)token["audience"]).ConfigureAwait(false)).ConfigureAwait(false);
            }
            else if (source["configMap"] is JsonObject configMap && (string?)configMap["name"] == "kube-root-ca.crt")
            {
                // kube-controller-manager publishes the cluster CA in every namespace under this name.
                await File.WriteAllTextAsync(Path.Combine(dir, "ca.crt"), caPem).ConfigureAwait(false);
            }
            else if (source["configMap"] is JsonObject other)
            {
                await WriteConfigMapAsync(api, ns, other, dir).ConfigureAwait(false);
            }
            else if (source["downwardAPI"] is JsonObject downward)
            {
                foreach (var item in downward["items"]?.AsArray().Select(i => i!.AsObject()) ?? [])
                {
                    var value = FieldRef.Resolve(pod, (string)item["fieldRef"]!["fieldPath"]!, hostIp: null);
                    await File.WriteAllTextAsync(Path.Combine(dir, (string)item["path"]!), value).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task WriteKeysAsync(string dir, Dictionary<string, byte[]> data, JsonArray? items)
    {
        Directory.CreateDirectory(dir);
        var wanted = items?.Select(i => ((string)i!["key"]!, (string)i["path"]!)) ?? data.Keys.Select(k => (k, k));
        foreach (var (key, path) in wanted)
        {
            var target = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, data[key]).ConfigureAwait(false);
        }
    }

    /// <summary>TokenRequest for the pod's service account, bound to the pod (as kubelet asks for one).</summary>
    private static async Task<string> TokenAsync(KubeClient api, JsonObject pod, string serviceAccount, string? audience)
    {
        var ns = (string)pod["metadata"]!["namespace"]!;
        var spec = new JsonObject
        {
            ["expirationSeconds"] = 3607,
            ["boundObjectRef"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["name"] = pod["metadata"]!["name"]!.DeepClone(), ["uid"] = pod["metadata"]!["uid"]!.DeepClone() },
        };
        if (audience is not null)
        {
            spec["audiences"] = new JsonArray(audience);
        }
        var response = await api.CreateAsync(
            $"/api/v1/namespaces/{ns}/serviceaccounts/{serviceAccount}/token",
            new JsonObject { ["apiVersion"] = "authentication.k8s.io/v1", ["kind"] = "TokenRequest", ["spec"] = spec }).ConfigureAwait(false);
        return (string)response["status"]!["token"]!;
    }
}
