using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace RoutedNet.Felix.Configuration;

/// <summary>The agent's validated configuration; built only by <see cref="AgentOptionsLoader"/>.</summary>
public sealed record AgentOptions
{
    public const string DefaultDatastore = "sqlite:///var/lib/routednet/store.db";
    public const string DefaultApiSocket = "/run/routednet/node.sock";
    public const int DefaultHealthPort = 9099;
    public const string DefaultCniDataDir = "/var/lib/cni/routednet";
    public const string DefaultCniConfName = "05-routednet.conflist";
    public const string DefaultCniNetworkName = "routednet";
    public const string DefaultCniBinDir = "/host/opt/cni/bin";
    public const string DefaultDaemonSetName = "routednet-node";

    /// <summary>Calico Felix's Prometheus port.</summary>
    public const int DefaultMetricsPort = 9091;

    /// <summary>gobgpd's own default for --api-hosts.</summary>
    public const string DefaultGoBgpApi = "127.0.0.1:50051";

    public required string NodeName { get; init; }
    public string Datastore { get; init; } = DefaultDatastore;

    /// <summary>TLS and auth for an etcd datastore; prints its password redacted.</summary>
    public RoutedNet.Datastore.EtcdSecurity Etcd { get; init; } = RoutedNet.Datastore.EtcdSecurity.None;
    /// <summary>The kubeconfig for the kubernetes datastore; null means in-cluster (the pod's service account).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Whether the datastore is the Kubernetes API (WorkloadEndpoints come from Pods, the Node is the core Node).</summary>
    public bool IsKubernetes => RoutedNet.Datastore.DatastoreUrl.Parse(Datastore).Kind == RoutedNet.Datastore.DatastoreKind.Kubernetes;

    public IPAddress? NodeIp { get; init; }
    public Regex? NodeIpInterface { get; init; }

    /// <summary>Used when neither <see cref="NodeIp"/> nor <see cref="NodeIpInterface"/> is set.</summary>
    public NodeIpAutodetection NodeIpAutodetection { get; init; } = NodeIpAutodetection.DefaultRoute;
    public string ApiSocket { get; init; } = DefaultApiSocket;

    /// <summary>0 means no health listener.</summary>
    public int HealthPort { get; init; } = DefaultHealthPort;

    /// <summary>Loopback: the probes run on the node (kubelet exec or systemd); nothing else needs them.</summary>
    public IPAddress HealthHost { get; init; } = IPAddress.Loopback;

    /// <summary>0 means no metrics listener; the same port as <see cref="HealthPort"/> serves both on one listener.</summary>
    public int MetricsPort { get; init; } = DefaultMetricsPort;

    /// <summary>Every address, as Calico's: Prometheus scrapes from elsewhere, and the metrics hold no secrets.</summary>
    public IPAddress MetricsHost { get; init; } = IPAddress.Any;
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RouteGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan BgpRestartDeferral { get; init; } = TimeSpan.FromSeconds(60);
    public BgpBackendKind BgpBackend { get; init; } = BgpBackendKind.BuiltIn;
    public string GoBgpApi { get; init; } = DefaultGoBgpApi;
    /// <summary>The CNI plugin's attachment records: the pods wired on this node (the plugin's default "dataDir").</summary>
    public string CniDataDir { get; init; } = DefaultCniDataDir;

    /// <summary>Where the conflist goes once the agent is ready; null: the agent writes none (the lab and hand-made configs).</summary>
    public string? CniConfDir { get; init; }
    public string CniConfName { get; init; } = DefaultCniConfName;
    public string CniNetworkName { get; init; } = DefaultCniNetworkName;

    /// <summary>0: the conflist has no "mtu" (the kernel's default).</summary>
    public int CniMtu { get; init; }
    public string CniBinDir { get; init; } = DefaultCniBinDir;

    /// <summary>The pod's namespace; null (not in a pod) turns uninstall detection off.</summary>
    public string? PodNamespace { get; init; }
    public string DaemonSetName { get; init; } = DefaultDaemonSetName;
    /// <summary>How often the policy table is read back in full (Calico's IpsetsRefreshInterval).</summary>
    public TimeSpan PolicyResyncInterval { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Whether a narrowing policy change also cuts established flows (conntrack entries deleted).</summary>
    public bool PolicyRevokeEstablished { get; init; } = true;
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
}
