namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// A cluster-scoped (or, with a namespace, namespaced) resource type's collection path:
/// <c>/api/v1/nodes</c> for the core group, <c>/apis/routednet.io/v1/ippools</c> for others.
/// </summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind)
{
    public static readonly KubeResource Nodes = new("", "v1", "nodes", "Node");

    public static readonly KubeResource Pods = new("", "v1", "pods", "Pod");

    public static readonly KubeResource Namespaces = new("", "v1", "namespaces", "Namespace");

    public static readonly KubeResource Services = new("", "v1", "services", "Service");

    public static readonly KubeResource EndpointSlices = new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice");

    /// <summary>The collection path, within <paramref name="ns"/> when given.</summary>
    public string CollectionPath(string? ns = null)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return ns is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}";
    }

    /// <summary>One object's path, or its <paramref name="subresource"/> (e.g. status).</summary>
    public string ObjectPath(string name, string? subresource = null, string? ns = null) =>
        CollectionPath(ns) + "/" + Uri.EscapeDataString(name) + (subresource is null ? "" : "/" + subresource);
}
