namespace RoutedNet.KubeApiServer.Registry;

/// <summary>
/// The built-in kinds the stand-in serves: what RoutedNet, its chart, helm and kubectl touch.
/// Their bodies are stored as given (no typed validation): kube-apiserver's own checks for these
/// kinds are out of scope, the stand-in enforces the API semantics around them.
/// </summary>
public static class BuiltinResources
{
    public static IEnumerable<ResourceType> All()
    {
        yield return Core("namespaces", "Namespace", namespaced: false, status: true, shortNames: ["ns"]);
        yield return Core("nodes", "Node", namespaced: false, status: true, shortNames: ["no"], fields: ["spec.unschedulable"]);
        yield return Core("pods", "Pod", namespaced: true, status: true, shortNames: ["po"], generation: true,
            fields: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"]);
        yield return Core("serviceaccounts", "ServiceAccount", namespaced: true, shortNames: ["sa"], extra: ["token"]);
        yield return Core("secrets", "Secret", namespaced: true, fields: ["type"]);
        yield return Core("configmaps", "ConfigMap", namespaced: true, shortNames: ["cm"]);
        yield return Core("events", "Event", namespaced: true, shortNames: ["ev"]);
        yield return Core("services", "Service", namespaced: true, status: true, shortNames: ["svc"]);
        yield return Core("endpoints", "Endpoints", namespaced: true, shortNames: ["ep"]);
        yield return Make("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false);
        yield return Make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false);
        yield return Make("rbac.authorization.k8s.io", "v1", "roles", "Role", true);
        yield return Make("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true);
        yield return Make("coordination.k8s.io", "v1", "leases", "Lease", true);
        yield return Make("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, generation: true, shortNames: ["netpol"]);
        // EndpointSlices are top-level objects (no spec, no status subresource), as kube-apiserver serves them.
        yield return Make("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true);
        yield return Make("apps", "v1", "daemonsets", "DaemonSet", true, status: true, generation: true, shortNames: ["ds"]);
        yield return Make("batch", "v1", "jobs", "Job", true, status: true, generation: true);
        yield return Make("apps", "v1", "deployments", "Deployment", true, status: true, generation: true, shortNames: ["deploy"]);
        yield return Make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
            status: true, generation: true, shortNames: ["crd", "crds"]);
    }

    private static ResourceType Core(string plural, string kind, bool namespaced, bool status = false,
        string[]? shortNames = null, string[]? fields = null, bool generation = false, string[]? extra = null) =>
        Make("", "v1", plural, kind, namespaced, status, generation, shortNames, fields, extra);

    private static ResourceType Make(string group, string version, string plural, string kind, bool namespaced,
        bool status = false, bool generation = false, string[]? shortNames = null, string[]? fields = null,
        string[]? extra = null) => new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = namespaced,
            HasStatus = status,
            HasGeneration = generation,
            ShortNames = shortNames ?? [],
            SelectableFields = fields ?? [],
            ExtraSubresources = extra ?? [],
        };
}
