namespace RoutedNet.Felix.Configuration;

/// <summary>How the node's address is found when it is not given (Calico's IP_AUTODETECTION_METHOD, the two that need no guessing).</summary>
public enum NodeIpAutodetection
{
    /// <summary>The global addresses of the interface holding the default route.</summary>
    DefaultRoute,

    /// <summary>The core Node's InternalIP addresses (status.addresses), as kubelet registered them; the default with the kubernetes datastore.</summary>
    KubernetesInternalIp,
}
