using System.Globalization;
using System.Text;
using System.Text.Json;
using RoutedNet.Ctl.Resources;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Output;

/// <summary>Renders resources as a table (wide adds revision and age), JSON or YAML documents.</summary>
internal static class ResourceFormatter
{
    /// <param name="announced">Services only: the ANNOUNCED column, which needs the store (<see cref="ServiceAnnouncedColumn"/>).</param>
    public static string Format(IKindOps kind, IReadOnlyList<Resource> items, OutputFormat format, bool single, ServiceAnnouncedColumn? announced = null)
    {
        items = items.Select(SecretFields.Redact).ToList();
        switch (format)
        {
            case OutputFormat.Json:
                var jsons = items.Select(kind.ToJson).ToArray();
                var text = single ? jsons[0] : $"{{\"apiVersion\":\"{Resource.GroupVersion}\",\"kind\":\"List\",\"items\":[{string.Join(',', jsons)}]}}";
                using (var document = JsonDocument.Parse(text))
                {
                    return JsonSerializer.Serialize(document.RootElement, IndentedJson.Default.JsonElement) + "\n";
                }
            case OutputFormat.Yaml:
                return string.Join("---\n", items.Select(i =>
                {
                    using var document = JsonDocument.Parse(kind.ToJson(i));
                    return YamlWriter.Write(document.RootElement);
                }));
            default:
                var wide = format == OutputFormat.Wide;
                var headers = kind.Namespaced ? new List<string> { "NAMESPACE", "NAME" } : ["NAME"];
                headers.AddRange(Columns(kind.Kind).Headers);
                if (announced is not null)
                {
                    headers.Add(ServiceAnnouncedColumn.Header);
                }
                if (wide)
                {
                    headers.AddRange(["REVISION", "CREATED"]);
                }
                var rows = items.Select(i =>
                {
                    var row = kind.Namespaced ? new List<string> { i.Metadata.Namespace ?? "", i.Name } : [i.Name];
                    row.AddRange(Columns(kind.Kind).Values(i));
                    if (announced is not null)
                    {
                        row.Add(announced.ValueOf(i));
                    }
                    if (wide)
                    {
                        row.AddRange([i.Metadata.ResourceVersion ?? "", i.Metadata.CreationTimestamp?.ToString("u", CultureInfo.InvariantCulture) ?? ""]);
                    }
                    return (IReadOnlyList<string>)row;
                }).ToList();
                return Table.Render(headers, rows);
        }
    }

    private static (string[] Headers, Func<Resource, string[]> Values) Columns(string kind) => kind switch
    {
        "IPPool" => (["CIDR", "BLOCKSIZE", "SELECTOR", "DISABLED"], r => r is IPPool p ? [p.Spec.Cidr, p.Spec.EffectiveBlockSize().ToString(CultureInfo.InvariantCulture), p.Spec.NodeSelector ?? "all()", p.Spec.Disabled ? "true" : "false"] : []),
        "IPAMConfig" => (["STRICTAFFINITY", "MAXBLOCKSPERHOST", "COOLDOWN"], r => r is IPAMConfig c ? [c.Spec.StrictAffinity ? "true" : "false", c.Spec.MaxBlocksPerHost.ToString(CultureInfo.InvariantCulture), c.Spec.ReleaseCooldownSeconds.ToString(CultureInfo.InvariantCulture) + "s"] : []),
        "IPAMBlock" => (["CIDR", "AFFINITY", "FREE"], r => r is IPAMBlock b ? [b.Spec.Cidr, b.Spec.Affinity ?? "", b.Spec.Unallocated.Count.ToString(CultureInfo.InvariantCulture)] : []),
        "BlockAffinity" => (["NODE", "CIDR", "STATE"], r => r is BlockAffinity a ? [a.Spec.Node, a.Spec.Cidr, a.Spec.State] : []),
        "IPAMHandle" => (["BLOCKS"], r => r is IPAMHandle h ? [string.Join(",", h.Spec.Block.Select(kv => $"{kv.Key}={kv.Value}"))] : []),
        "Node" => (["ADDRESSES", "ASN"], r => r is Node n ? [string.Join(",", n.Spec.Addresses), n.Spec.AsNumber?.ToString(CultureInfo.InvariantCulture) ?? ""] : []),
        "WorkloadEndpoint" => (["NODE", "NAMESPACE", "POD", "INTERFACE", "NETWORKS"], r => r is WorkloadEndpoint w ? [w.Spec.Node, w.Spec.Namespace, w.Spec.Pod, w.Spec.Interface, string.Join(",", w.Spec.IPNetworks)] : []),
        // PASSWORD says where the key is, never what it is: "secret NAME/KEY" (read by the agent), "set" (stored inline), or nothing.
        "BGPPeer" => (["PEERIP", "ASN", "NODE", "PASSWORD"], r => r is BGPPeer p ? [p.Spec.PeerIP, p.Spec.AsNumber.ToString(CultureInfo.InvariantCulture), p.Spec.Node ?? p.Spec.NodeSelector ?? "(all)", PasswordSource(p.Spec)] : []),
        "BGPFilter" => (["EXPORTV4", "IMPORTV4", "EXPORTV6", "IMPORTV6"], r => r is BGPFilter f
            ? [.. new[] { f.Spec.ExportV4, f.Spec.ImportV4, f.Spec.ExportV6, f.Spec.ImportV6 }.Select(rules => (rules?.Count ?? 0).ToString(CultureInfo.InvariantCulture) + " rules")]
            : []),
        "BGPConfiguration" => (["ASN", "MESH", "PORT"], r => r is BGPConfiguration c ? [c.Spec.AsNumber?.ToString(CultureInfo.InvariantCulture) ?? "", (c.Spec.NodeToNodeMesh ?? true) ? "true" : "false", (c.Spec.ListenPort ?? 179).ToString(CultureInfo.InvariantCulture)] : []),
        "Namespace" => (["LABELS"], r => [string.Join(",", (r.Metadata.Labels ?? new Dictionary<string, string>()).Where(l => l.Key != Namespace.NameLabel).Select(l => $"{l.Key}={l.Value}"))]),
        "NetworkPolicy" or "GlobalNetworkPolicy" => (["TIER", "ORDER", "SELECTOR", "TYPES"], r => r switch
        {
            NetworkPolicy p => PolicyColumns(p.Spec),
            GlobalNetworkPolicy g => PolicyColumns(g.Spec),
            _ => [],
        }),
        "KubernetesNetworkPolicy" => (["POD-SELECTOR", "TYPES"], r => r is KubernetesNetworkPolicy k
            ? [Datastore.Selectors.Selector.FromLabelSelector(k.Spec.PodSelector).Text, string.Join(",", Policy.KubernetesPolicyConversion.TypesOf(k.Spec))]
            : []),
        "Service" => (["TYPE", "CLUSTER-IP", "EXTERNAL-IP", "TRAFFIC-POLICY", "ENDPOINTS"], r => r is Service s ? ServiceColumns(s) : []),
        _ => ([], _ => []),
    };

    /// <summary>As kubectl shows a Service (EXTERNAL-IP: external IPs, then load-balancer IPs), and where its ready endpoints run.</summary>
    private static string[] ServiceColumns(Service service)
    {
        var external = (service.Spec.ExternalIPs ?? []).Concat(service.Status.LoadBalancer?.Ingress.Select(i => i.Ip ?? i.Hostname).OfType<string>() ?? []).ToList();
        var ready = service.Endpoints.Where(e => e.IsReady).ToList();
        var nodes = ready.Select(e => e.NodeName).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return
        [
            service.Spec.Type ?? ServiceSpec.TypeClusterIP,
            service.Spec.AllClusterIPs().Any() ? string.Join(",", service.Spec.AllClusterIPs()) : "None",
            external.Count == 0 ? "<none>" : string.Join(",", external),
            service.Spec.ExternalTrafficPolicy ?? ServiceSpec.PolicyCluster,
            $"{ready.Count}/{service.Endpoints.Count} ready" + (nodes.Count == 0 ? "" : $" on {string.Join(",", nodes)}"),
        ];
    }

    private static string[] PolicyColumns(PolicySpec spec) =>
    [
        spec.Tier ?? PolicySpec.TierDefault,
        spec.Order?.ToString(CultureInfo.InvariantCulture) ?? "",
        string.IsNullOrWhiteSpace(spec.Selector) ? "all()" : spec.Selector,
        spec.Types is { Count: > 0 } types ? string.Join(",", types) : "(default)",
    ];

    private static string PasswordSource(BGPPeerSpec spec) =>
        spec.PasswordSecretRef is { } secret ? $"secret {secret.Name}/{secret.Key}" : spec.Password is null ? "" : "set";
}
