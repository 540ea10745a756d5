namespace RoutedNet.Felix.Configuration;

/// <summary>
/// One configurable value and its three spellings. Precedence is flag, then environment, then the
/// YAML file, then the default, so a DaemonSet's env can be overridden on the command line.
/// </summary>
public sealed record Setting(string Flag, string Env, string YamlKey, string Description)
{
    public static readonly Setting NodeName = new("--node-name", "NODENAME", "nodeName", "This node's name (the Node resource; on Kubernetes the core Node, spec.nodeName).");
    public static readonly Setting Datastore = new("--datastore", "ROUTEDNET_DATASTORE", "datastore", "Datastore URL: sqlite:///path, etcd://host:port[,more] (etcds:// for TLS) or kubernetes.");
    public static readonly Setting Kubeconfig = new("--kubeconfig", "KUBECONFIG", "kubeconfig", "Kubeconfig file for --datastore kubernetes; default: the pod's service account (in-cluster).");
    public static readonly Setting EtcdCaCertFile = new("--etcd-ca-cert-file", RoutedNet.Datastore.EtcdSecurity.CaCertFileVariable, "etcdCaCertFile", "PEM file of the CA that signed the etcd members' certificates (etcds:// URLs); default: the system's trust store.");
    public static readonly Setting EtcdCertFile = new("--etcd-cert-file", RoutedNet.Datastore.EtcdSecurity.CertFileVariable, "etcdCertFile", "PEM client certificate for etcd (with --etcd-key-file).");
    public static readonly Setting EtcdKeyFile = new("--etcd-key-file", RoutedNet.Datastore.EtcdSecurity.KeyFileVariable, "etcdKeyFile", "PEM private key of --etcd-cert-file.");
    public static readonly Setting EtcdUsername = new("--etcd-username", RoutedNet.Datastore.EtcdSecurity.UsernameVariable, "etcdUsername", "etcd user, when etcd's auth is enabled.");
    public static readonly Setting EtcdPassword = new("--etcd-password", RoutedNet.Datastore.EtcdSecurity.PasswordVariable, "etcdPassword", "Password of --etcd-username (prefer the env var or the config file: a flag shows in ps); never logged.");
    public static readonly Setting NodeIp = new("--node-ip", "ROUTEDNET_NODE_IP", "nodeIp", "The node's address; default: the address of the interface holding the default route.");
    public static readonly Setting NodeIpInterface = new("--node-ip-interface", "ROUTEDNET_NODE_IP_INTERFACE", "nodeIpInterface", "Regex of interface names to take the node address from, instead of the default-route interface.");
    public static readonly Setting NodeIpAutodetection = new("--node-ip-autodetection", "ROUTEDNET_NODE_IP_AUTODETECTION", "nodeIpAutodetection", "How the node address is found without --node-ip/--node-ip-interface: default-route (the interface holding the default route) or kubernetes-internal-ip (the core Node's InternalIP; the default with --datastore kubernetes).");
    public static readonly Setting ApiSocket = new("--api-socket", "ROUTEDNET_API_SOCKET", "apiSocket", "Unix socket of the local gRPC API (root-only).");
    public static readonly Setting HealthPort = new("--health-port", "ROUTEDNET_HEALTH_PORT", "healthPort", "TCP port for /livez and /readyz; 0 turns them off.");
    public static readonly Setting HealthHost = new("--health-host", "ROUTEDNET_HEALTH_HOST", "healthHost", "Address the health port binds to; default 127.0.0.1.");
    public static readonly Setting MetricsPort = new("--metrics-port", "ROUTEDNET_METRICS_PORT", "metricsPort", "TCP port for /metrics (Prometheus text); default 9091, 0 turns it off.");
    public static readonly Setting MetricsHost = new("--metrics-host", "ROUTEDNET_METRICS_HOST", "metricsHost", "Address the metrics port binds to; default 0.0.0.0.");
    public static readonly Setting ResyncInterval = new("--resync-interval", "ROUTEDNET_RESYNC_INTERVAL", "resyncInterval", "How often the kernel is read back in full (e.g. 30s, 2m).");
    public static readonly Setting RouteGracePeriod = new("--route-grace-period", "ROUTEDNET_ROUTE_GRACE_PERIOD", "routeGracePeriod", "How long a route of ours with no reason may stay on a newly seen interface.");
    public static readonly Setting BgpRestartDeferral = new("--bgp-restart-deferral", "ROUTEDNET_BGP_RESTART_DEFERRAL", "bgpRestartDeferral", "After a restart, how long to wait for peers to re-send routes before stale BGP routes are swept.");
    public static readonly Setting BgpBackend = new("--bgp-backend", "ROUTEDNET_BGP_BACKEND", "bgpBackend", "BGP implementation: builtin (in-process speaker) or gobgp (a gobgpd driven over --gobgp-api).");
    public static readonly Setting GoBgpApi = new("--gobgp-api", "ROUTEDNET_GOBGP_API", "gobgpApi", "HOST:PORT of gobgpd's gRPC API, for --bgp-backend gobgp.");
    public static readonly Setting CniDataDir = new("--cni-data-dir", "ROUTEDNET_CNI_DATA_DIR", "cniDataDir", "The CNI plugin's attachment records (its netconf \"dataDir\"): every pod recorded there is routed, with or without a datastore.");
    public static readonly Setting CniConfDir = new("--cni-conf-dir", "ROUTEDNET_CNI_CONF_DIR", "cniConfDir", "Directory the agent writes its CNI conflist into once ready (the chart: the host's /etc/cni/net.d at /host/etc/cni/net.d); unset: no conflist.");
    public static readonly Setting CniConfName = new("--cni-conf-name", "ROUTEDNET_CNI_CONF_NAME", "cniConfName", "File name of the conflist in --cni-conf-dir; default 05-routednet.conflist (sorts ahead of a runtime's 10-*).");
    public static readonly Setting CniNetworkName = new("--cni-network-name", "ROUTEDNET_CNI_NETWORK_NAME", "cniNetworkName", "The conflist's network name (part of every IPAM handle); default routednet.");
    public static readonly Setting CniMtu = new("--cni-mtu", "ROUTEDNET_CNI_MTU", "cniMtu", "MTU of the pods' veths, written into the conflist; default 0: left out (the kernel's 1500).");
    public static readonly Setting CniBinDir = new("--cni-bin-dir", "ROUTEDNET_CNI_BIN_DIR", "cniBinDir", "Where install-cni put the CNI binaries (the host's /opt/cni/bin in the pod); removed there on uninstall. Default /host/opt/cni/bin.");
    public static readonly Setting PodNamespace = new("--pod-namespace", "POD_NAMESPACE", "podNamespace", "The agent's pod namespace (downward API metadata.namespace); with --datastore kubernetes it turns on uninstall detection at SIGTERM.");
    public static readonly Setting DaemonSetName = new("--daemonset-name", "ROUTEDNET_DAEMONSET_NAME", "daemonSetName", "The agent's DaemonSet: gone or being deleted at SIGTERM means an uninstall; default routednet-node.");
    public static readonly Setting PolicyResyncInterval = new("--policy-resync-interval", "ROUTEDNET_POLICY_RESYNC_INTERVAL", "policyResyncInterval", "How often the nftables table inet routednet is read back over netlink and drift repaired; default 90s.");
    public static readonly Setting PolicyRevokeEstablished = new("--policy-revoke-established", "ROUTEDNET_POLICY_REVOKE_ESTABLISHED", "policyRevokeEstablished", "Always (default): after a policy change that can narrow what is allowed, delete the conntrack entries of local pods that policy now refuses, so existing flows are cut; Never: established flows live on.");
    public static readonly Setting LogLevel = new("--log-level", "ROUTEDNET_LOG_LEVEL", "logLevel", "trace, debug, information, warning or error.");

    /// <summary>The file itself can only come from a flag or the environment.</summary>
    public static readonly Setting ConfigFile = new("--config", "ROUTEDNET_CONFIG", "", "YAML file with any of the settings above (camelCase keys).");

    public static IReadOnlyList<Setting> All { get; } =
    [
        NodeName, Datastore, Kubeconfig, EtcdCaCertFile, EtcdCertFile, EtcdKeyFile, EtcdUsername, EtcdPassword, NodeIp, NodeIpInterface, NodeIpAutodetection, ApiSocket, HealthPort, HealthHost, MetricsPort, MetricsHost,
        ResyncInterval, RouteGracePeriod, BgpRestartDeferral, BgpBackend, GoBgpApi, CniDataDir, CniConfDir, CniConfName, CniNetworkName, CniMtu, CniBinDir, PodNamespace, DaemonSetName,
        PolicyResyncInterval, PolicyRevokeEstablished, LogLevel, ConfigFile,
    ];
}
