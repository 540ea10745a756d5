using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// `podman run` arguments for one container of a host-network pod, from the pod spec as kubelet
/// reads it: the node's network namespace and hostname, command (replaces the image's entrypoint)
/// and args, env (the API server's KUBERNETES_SERVICE_* first, then the container's own in order,
/// with fieldRef, configMapKeyRef, secretKeyRef and $(VAR) expansion), volume mounts (subPath,
/// readOnly, mountPropagation), the service-account volume, and the security context (privileged,
/// capabilities, runAsUser, readOnlyRootFilesystem, allowPrivilegeEscalation). Resource limits are
/// not enforced (podman's cgroupfs mode here has no controllers to give).
/// </summary>
public static class ContainerArgs
{
    public static async Task<List<string>> BuildAsync(
        ClusterNode node, JsonObject pod, JsonObject container, PodVolumes volumes, KubeClient api, string containerName, string apiHost, int apiPort)
    {
        var spec = pod["spec"]!.AsObject();
        var args = new List<string>
        {
            "run", "--detach", "--name", containerName, "--pull", "never",
            "--network", $"ns:{node.NetnsPath}", "--hostname", node.Name,
            "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
            "--label", "io.kubernetes.pod.uid=" + (string)pod["metadata"]!["uid"]!,
        };
        SecurityArgs(args, spec["securityContext"] as JsonObject, container["securityContext"] as JsonObject);
        foreach (var (key, value) in await EnvAsync(node, pod, container, api, apiHost, apiPort).ConfigureAwait(false))
        {
            args.AddRange(["--env", $"{key}={value}"]);
        }
        foreach (var mount in container["volumeMounts"]?.AsArray().Select(m => m!.AsObject()) ?? [])
        {
            var name = (string)mount["name"]!;
            if (!volumes.Paths.TryGetValue(name, out var source))
            {
                throw new InvalidOperationException($"container {container["name"]} mounts volume {name}, which the pod does not have");
            }
            if ((string?)mount["subPath"] is { Length: > 0 } subPath)
            {
                source = Path.Combine(source, subPath);
            }
            var options = new List<string> { (bool?)mount["readOnly"] == true ? "ro" : "rw" };
            switch ((string?)mount["mountPropagation"])
            {
                case "HostToContainer":
                    options.Add("rslave");
                    break;
                case "Bidirectional":
                    options.Add("rshared");
                    break;
            }
            args.AddRange(["--volume", $"{source}:{(string)mount["mountPath"]!}:{string.Join(',', options)}"]);
        }
        if (volumes.ServiceAccountDir is { } sa)
        {
            args.AddRange(["--volume", $"{sa}:{PodVolumes.ServiceAccountMountPath}:ro"]);
        }
        if ((string?)container["workingDir"] is { Length: > 0 } workingDir)
        {
            args.AddRange(["--workdir", workingDir]);
        }
        if (container["command"] is JsonArray command)
        {
            args.AddRange(["--entrypoint", command.ToJsonString()]);
        }
        args.Add((string)container["image"]!);
        args.AddRange(container["args"]?.AsArray().Select(a => (string)a!) ?? []);
        return args;
    }

    private static void SecurityArgs(List<string> args, JsonObject? pod, JsonObject? container)
    {
        if ((bool?)container?["privileged"] == true)
        {
            args.Add("--privileged");
        }
        foreach (var add in container?["capabilities"]?["add"]?.AsArray() ?? [])
        {
            args.AddRange(["--cap-add", (string)add!]);
        }
        foreach (var drop in container?["capabilities"]?["drop"]?.AsArray() ?? [])
        {
            args.AddRange(["--cap-drop", (string)drop!]);
        }
        var user = (long?)container?["runAsUser"] ?? (long?)pod?["runAsUser"];
        var group = (long?)container?["runAsGroup"] ?? (long?)pod?["runAsGroup"];
        if ((bool?)container?["runAsNonRoot"] ?? (bool?)pod?["runAsNonRoot"] ?? false)
        {
            if (user is null or 0)
            {
                throw new InvalidOperationException("runAsNonRoot with no non-zero runAsUser: kubelet refuses to start it (CreateContainerConfigError)");
            }
        }
        if (user is not null)
        {
            args.AddRange(["--user", group is null ? user.Value.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{user}:{group}")]);
        }
        if ((bool?)container?["readOnlyRootFilesystem"] == true)
        {
            args.Add("--read-only");
        }
        if ((bool?)container?["allowPrivilegeEscalation"] == false)
        {
            args.AddRange(["--security-opt", "no-new-privileges"]);
        }
    }

    private static async Task<List<KeyValuePair<string, string>>> EnvAsync(
        ClusterNode node, JsonObject pod, JsonObject container, KubeClient api, string apiHost, int apiPort)
    {
        var ns = (string)pod["metadata"]!["namespace"]!;
        var port = apiPort.ToString(CultureInfo.InvariantCulture);
        // What kubelet derives from the "kubernetes" Service: the API server's address.
        var env = new List<KeyValuePair<string, string>>
        {
            new("KUBERNETES_SERVICE_HOST", apiHost),
            new("KUBERNETES_SERVICE_PORT", port),
            new("KUBERNETES_SERVICE_PORT_HTTPS", port),
            new("KUBERNETES_PORT", $"tcp://{apiHost}:{port}"),
            new("KUBERNETES_PORT_443_TCP", $"tcp://{apiHost}:{port}"),
        };
        foreach (var item in container["env"]?.AsArray().Select(e => e!.AsObject()) ?? [])
        {
            var name = (string)item["name"]!;
            string value;
            if (item["valueFrom"] is JsonObject from)
            {
                if (from["fieldRef"] is JsonObject field)
                {
                    value = FieldRef.Resolve(pod, (string)field["fieldPath"]!, node.Address);
                }
                else if (from["configMapKeyRef"] is JsonObject cmRef)
                {
                    var cm = await api.GetAsync($"/api/v1/namespaces/{ns}/configmaps/{cmRef["name"]}").ConfigureAwait(false);
                    value = (string?)cm?["data"]?[(string)cmRef["key"]!] ?? throw new InvalidOperationException($"env {name}: configmap key {cmRef["name"]}/{cmRef["key"]} not found");
                }
                else if (from["secretKeyRef"] is JsonObject secretRef)
                {
                    var secret = await api.GetAsync($"/api/v1/namespaces/{ns}/secrets/{secretRef["name"]}").ConfigureAwait(false);
                    var data = (string?)secret?["data"]?[(string)secretRef["key"]!] ?? throw new InvalidOperationException($"env {name}: secret key {secretRef["name"]}/{secretRef["key"]} not found");
                    value = Encoding.UTF8.GetString(Convert.FromBase64String(data));
                }
                else
                {
                    throw new InvalidOperationException($"env {name}: only fieldRef, configMapKeyRef and secretKeyRef are played");
                }
            }
            else
            {
                value = Expand((string?)item["value"] ?? "", env);
            }
            env.RemoveAll(e => e.Key == name);
            env.Add(new(name, value));
        }
        return env;
    }

    // $(VAR) refers to an earlier variable; $$ escapes; an unknown reference stays as written (kubelet's rule).
    private static string Expand(string value, List<KeyValuePair<string, string>> env)
    {
        var b = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '$')
            {
                b.Append('$');
                i++;
            }
            else if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '(' && value.IndexOf(')', i) is var end and > 0)
            {
                var name = value[(i + 2)..end];
                var found = env.FindLast(e => e.Key == name);
                b.Append(found.Key is null ? value[i..(end + 1)] : found.Value);
                i = end;
            }
            else
            {
                b.Append(value[i]);
            }
        }
        return b.ToString();
    }
}
