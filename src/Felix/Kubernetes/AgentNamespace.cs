namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// The namespace routednet-node runs in, where the Secrets its BGPPeers name live: POD_NAMESPACE
/// (the chart sets it from the pod's metadata.namespace), else the service account's namespace
/// file that kubelet mounts in every pod, else kube-system (the chart's documented namespace, for an
/// agent run by hand with a kubeconfig).
/// </summary>
public static class AgentNamespace
{
    public const string Variable = "POD_NAMESPACE";

    public const string Fallback = "kube-system";

    public const string ServiceAccountFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    public static string Resolve(Func<string, string?> environment, string serviceAccountFile = ServiceAccountFile)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(Variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        try
        {
            if (File.Exists(serviceAccountFile) && File.ReadAllText(serviceAccountFile).Trim() is { Length: > 0 } fromFile)
            {
                return fromFile;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Fallback;
    }
}
