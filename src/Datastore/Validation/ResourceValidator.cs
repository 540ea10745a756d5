using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using RoutedNet.Datastore.Resources;
using RoutedNet.Datastore.Selectors;

namespace RoutedNet.Datastore.Validation;

/// <summary>
/// Checks an object before it is written, so that a bad pool never reaches IPAM and a bad peer
/// never reaches the BGP speaker. Each failure is a <see cref="ResourceValidationException"/>
/// naming the object and the field.
/// </summary>
internal static partial class ResourceValidator
{
    // Pods' default gateway is 169.254.1.1 (DESIGN.md: packet path); a pool there would hand it out.
    private static readonly IPNetwork IPv4LinkLocal = IPNetwork.Parse("169.254.0.0/16");
    private static readonly IPNetwork IPv6LinkLocal = IPNetwork.Parse("fe80::/10");

    // Linux keeps TCP-MD5 keys in tcp_md5sig.tcpm_key[TCP_MD5SIG_MAXKEYLEN]: a longer one is
    // refused by setsockopt, which used to stop the agent applying every peer.
    private const int TcpMd5MaxKeyBytes = 80;

    /// <summary>Names are keys in etcd and sqlite and CRD names later: printable, no slashes, ≤ 253.</summary>
    public static void ValidateName(string kind, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253 || !name.All(IsNameChar) || name[0] == '.')
        {
            throw new ResourceValidationException(
                $"{kind} name \"{name}\" is invalid: use 1–253 of a-z A-Z 0-9 . - _ : not starting with '.'");
        }
    }

    /// <summary>
    /// A store key: the name, or for a namespaced kind "NAMESPACE/NAME" with both parts names
    /// (namespaces as Kubernetes names them: DNS-1123 labels).
    /// </summary>
    public static void ValidateKey(string kind, string key, bool namespaced)
    {
        if (!namespaced)
        {
            ValidateName(kind, key);
            return;
        }
        var (ns, name) = StoreKeys.Split(key);
        if (string.IsNullOrEmpty(ns))
        {
            throw new ResourceValidationException($"{kind} \"{name}\": metadata.namespace is required ({kind} is namespaced)");
        }
        ValidateNamespaceName($"{kind} \"{name}\": metadata.namespace", ns);
        ValidateName(kind, name);
    }

    /// <summary>Namespace names are DNS-1123 labels (the API server's rule), so every datastore takes the same ones.</summary>
    public static void ValidateNamespaceName(string what, string name)
    {
        if (name.Length > 63 || !NamespaceNamePattern().IsMatch(name))
        {
            throw new ResourceValidationException(
                $"{what} \"{name}\" is invalid: a namespace name is 1–63 of a-z 0-9 -, starting and ending with a letter or digit");
        }
    }

    public static void Validate(Resource resource)
    {
        try
        {
            switch (resource)
            {
                case IPPool pool:
                    ValidatePool(pool.Spec);
                    break;
                case IPAMConfig config:
                    NonNegative("spec.maxBlocksPerHost", config.Spec.MaxBlocksPerHost);
                    NonNegative("spec.releaseCooldownSeconds", config.Spec.ReleaseCooldownSeconds);
                    break;
                case IPAMBlock block:
                    Cidr.ParseNetwork("spec.cidr", block.Spec.Cidr);
                    break;
                case BlockAffinity affinity:
                    Cidr.ParseNetwork("spec.cidr", affinity.Spec.Cidr);
                    Required("spec.node", affinity.Spec.Node);
                    OneOf("spec.state", affinity.Spec.State, BlockAffinitySpec.StatePending, BlockAffinitySpec.StateConfirmed, BlockAffinitySpec.StatePendingDeletion);
                    break;
                case IPAMHandle handle:
                    Required("spec.handleId", handle.Spec.HandleId);
                    break;
                case Node node:
                    foreach (var address in node.Spec.Addresses)
                    {
                        Cidr.ParseInterfaceAddress("spec.addresses", address);
                    }
                    OptionalAddress("spec.routeReflectorClusterID", node.Spec.RouteReflectorClusterID, AddressFamily.InterNetwork);
                    if (node.Spec.Drain is { GracefulShutdownSeconds: < 0 or > NodeDrain.MaxGracefulShutdownSeconds } drain)
                    {
                        throw new ResourceValidationException($"spec.drain.gracefulShutdownSeconds {drain.GracefulShutdownSeconds} must be 0-{NodeDrain.MaxGracefulShutdownSeconds}");
                    }
                    break;
                case WorkloadEndpoint endpoint:
                    Required("spec.node", endpoint.Spec.Node);
                    WorkloadInterface("spec.hostInterface", endpoint.Spec.HostInterface);
                    foreach (var network in endpoint.Spec.IPNetworks)
                    {
                        Cidr.ParseNetwork("spec.ipNetworks", network);
                    }
                    foreach (var port in endpoint.Spec.Ports ?? [])
                    {
                        EndpointPortFields(port);
                    }
                    break;
                case BGPPeer peer:
                    ValidatePeer(peer.Spec);
                    break;
                case BGPFilter filter:
                    ValidateFilter(filter.Spec);
                    break;
                case BGPConfiguration bgp:
                    ValidateBgpConfiguration(bgp.Spec);
                    break;
                case Namespace ns:
                    ValidateNamespaceName("metadata.name", ns.Name);
                    break;
                case Service service:
                    ValidateService(service);
                    break;
                // The policy kinds' selectors, actions and ports are checked by RoutedNet.Policy
                // (PolicyValidator) where the selector engine lives; the store keeps them as written.
                case NetworkPolicy or GlobalNetworkPolicy or KubernetesNetworkPolicy:
                    break;
                default:
                    throw new ArgumentException($"unknown resource type {resource.GetType().Name}", nameof(resource));
            }
            if (resource.Metadata.Namespace is not null && resource is not (NetworkPolicy or KubernetesNetworkPolicy or Service))
            {
                throw new ResourceValidationException($"metadata.namespace \"{resource.Metadata.Namespace}\": {resource.Kind} is cluster-scoped");
            }
        }
        catch (ResourceValidationException e)
        {
            throw new ResourceValidationException($"{resource.Kind} \"{resource.Name}\": {e.Message}", e);
        }
    }

    /// <summary>Pools must not share an address: an address would belong to two pools' blocks.</summary>
    public static void CheckNoOverlap(IPPool pool, IEnumerable<IPPool> pools)
    {
        var network = Cidr.ParseNetwork("spec.cidr", pool.Spec.Cidr);
        foreach (var other in pools)
        {
            if (other.Name != pool.Name && Cidr.Overlap(network, Cidr.ParseNetwork("spec.cidr", other.Spec.Cidr)))
            {
                throw new ResourceValidationException(
                    $"IPPool \"{pool.Name}\": spec.cidr {pool.Spec.Cidr} overlaps IPPool \"{other.Name}\" ({other.Spec.Cidr})");
            }
        }
    }

    private static void ValidatePool(IPPoolSpec spec)
    {
        var network = Cidr.ParseNetwork("spec.cidr", spec.Cidr);
        var v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var (min, max) = v4 ? (20, 32) : (116, 128);
        var blockSize = spec.EffectiveBlockSize();
        if (blockSize < min || blockSize > max)
        {
            throw new ResourceValidationException(
                $"spec.blockSize {blockSize} is out of range: {(v4 ? "IPv4" : "IPv6")} blocks are /{min} to /{max}");
        }
        if (blockSize < network.PrefixLength)
        {
            throw new ResourceValidationException(
                $"spec.blockSize /{blockSize} is larger than the pool {spec.Cidr}");
        }
        Selector("spec.nodeSelector", spec.NodeSelector);
        var linkLocal = v4 ? IPv4LinkLocal : IPv6LinkLocal;
        if (Cidr.Overlap(network, linkLocal))
        {
            throw new ResourceValidationException(
                $"spec.cidr {spec.Cidr} overlaps the link-local range {linkLocal} (pods use 169.254.1.1 as their gateway)");
        }
    }

    private static void ValidatePeer(BGPPeerSpec spec)
    {
        OptionalAddress("spec.peerIP", spec.PeerIP, null);
        Required("spec.peerIP", spec.PeerIP);
        if (spec.AsNumber == 0)
        {
            throw new ResourceValidationException("spec.asNumber must be 1–4294967295");
        }
        if (spec.Node is not null && spec.NodeSelector is not null)
        {
            throw new ResourceValidationException("spec.node and spec.nodeSelector are exclusive");
        }
        Selector("spec.nodeSelector", spec.NodeSelector);
        Port("spec.port", spec.Port);
        if (spec.PasswordSecretRef is { } secret)
        {
            if (spec.Password is not null)
            {
                throw new ResourceValidationException("spec.password and spec.passwordSecretRef are exclusive");
            }
            SecretReference("spec.passwordSecretRef", secret);
        }
        if (spec.Password is { } password && Encoding.UTF8.GetByteCount(password) > TcpMd5MaxKeyBytes)
        {
            // The length, never the secret itself: this message goes to terminals and logs.
            throw new ResourceValidationException(
                $"spec.password is {Encoding.UTF8.GetByteCount(password)} bytes; TCP-MD5 (RFC 2385) keys are at most {TcpMd5MaxKeyBytes} bytes on Linux");
        }
        // RFC 4271 §4.2: a hold time is zero or at least three seconds.
        if (spec.HoldTime is { } hold && (hold is 1 or 2 || hold < 0 || hold > 65535))
        {
            throw new ResourceValidationException($"spec.holdTime {hold} must be 0 or 3–65535 seconds");
        }
        if (spec.KeepaliveTime is < 0 or > 21845)
        {
            throw new ResourceValidationException($"spec.keepaliveTime {spec.KeepaliveTime} must be 0–21845 seconds");
        }
        if (spec.MaxPrefixes is < 0)
        {
            throw new ResourceValidationException($"spec.maxPrefixes {spec.MaxPrefixes} must not be negative");
        }
        if (spec.Bfd is { } bfd)
        {
            ValidatePeerBfd(bfd);
        }
        ValidatePeerPolicy(spec);
    }

    // The ranges BIRD and FRR take too; a multiplier of 1 declares a path down on one lost packet.
    private static void ValidatePeerBfd(BGPPeerBfd bfd)
    {
        if (bfd.ReceiveInterval is < 10 or > 60000)
        {
            throw new ResourceValidationException($"spec.bfd.receiveInterval {bfd.ReceiveInterval} must be 10–60000 milliseconds");
        }
        if (bfd.TransmitInterval is < 10 or > 60000)
        {
            throw new ResourceValidationException($"spec.bfd.transmitInterval {bfd.TransmitInterval} must be 10–60000 milliseconds");
        }
        if (bfd.DetectMultiplier is < 1 or > 255)
        {
            throw new ResourceValidationException($"spec.bfd.detectMultiplier {bfd.DetectMultiplier} must be 1–255");
        }
        if (bfd.MinimumTtl is < 1 or > 255)
        {
            throw new ResourceValidationException($"spec.bfd.minimumTtl {bfd.MinimumTtl} must be 1–255");
        }
        if (bfd.Mode is not (null or BGPPeerBfd.ModeHard or BGPPeerBfd.ModeGraceful))
        {
            throw new ResourceValidationException($"spec.bfd.mode \"{bfd.Mode}\" must be {BGPPeerBfd.ModeHard} or {BGPPeerBfd.ModeGraceful}");
        }
    }

    private static void ValidateBgpConfiguration(BGPConfigurationSpec spec)
    {
        if (spec.AsNumber == 0)
        {
            throw new ResourceValidationException("spec.asNumber must be 1–4294967295");
        }
        Port("spec.listenPort", spec.ListenPort);
        ServiceRanges("spec.serviceClusterIPs", spec.ServiceClusterIPs);
        ServiceRanges("spec.serviceExternalIPs", spec.ServiceExternalIPs);
        ServiceRanges("spec.serviceLoadBalancerIPs", spec.ServiceLoadBalancerIPs);
        ValidateCommunities(spec);
        if (spec.ServiceLoadBalancerAggregation is { } aggregation)
        {
            OneOf("spec.serviceLoadBalancerAggregation", aggregation, BGPConfigurationSpec.AggregationEnabled, BGPConfigurationSpec.AggregationDisabled);
        }
    }

    // The names the API server takes (a Secret's name is a DNS-1123 subdomain, its keys
    // [-._a-zA-Z0-9]+): a reference that cannot name a Secret is refused when written rather than
    // failing on every node.
    private static void SecretReference(string field, SecretKeyReference secret)
    {
        if (!SecretNamePattern().IsMatch(secret.Name) || secret.Name.Length > 253)
        {
            throw new ResourceValidationException($"{field}.name \"{secret.Name}\" is not a Secret name (a DNS-1123 subdomain: lower-case letters, digits, '-' and '.')");
        }
        if (!SecretKeyPattern().IsMatch(secret.Key) || secret.Key.Length > 253)
        {
            throw new ResourceValidationException($"{field}.key \"{secret.Key}\" is not a Secret key (letters, digits, '-', '_' and '.')");
        }
    }

    // Checked when written: a selector that does not parse used to pass apply and then fail
    // every CNI ADD on every node (pools) or drop the peer on every agent (BGPPeers).
    private static void Selector(string field, string? text)
    {
        try
        {
            Selectors.Selector.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ResourceValidationException($"{field}: {e.Message}", e);
        }
    }

    // The agent turns on proxy_arp and route_localnet on this interface: "eth0", "all" or "lo"
    // would change the node's own networking, so only a workload veth's name is taken.
    private static void WorkloadInterface(string field, string? name)
    {
        if (name is not null && !WorkloadEndpointSpec.IsWorkloadInterface(name))
        {
            var prefix = WorkloadEndpointSpec.HostInterfacePrefix;
            throw new ResourceValidationException(
                $"{field} \"{name}\" is not a workload interface: expected the pod's host veth, \"{prefix}\" and up to {WorkloadEndpointSpec.MaxInterfaceNameBytes - prefix.Length} more characters, no '/', ':' or spaces");
        }
    }

    private static void OptionalAddress(string field, string? text, AddressFamily? family)
    {
        if (text is not null && (!Cidr.TryParseAddress(text, out var address) || (family is not null && address.AddressFamily != family)))
        {
            throw new ResourceValidationException($"{field}: \"{text}\" is not a valid {(family == AddressFamily.InterNetwork ? "IPv4 " : "")}address");
        }
    }

    // A named port is looked up by name and protocol: one without a name, or with a protocol policy cannot match, is a typo.
    private static void EndpointPortFields(EndpointPort port)
    {
        Required("spec.ports[].name", port.Name);
        OneOf($"spec.ports[{port.Name}].protocol", port.Protocol, "TCP", "UDP", "SCTP");
        if (port.Port is < 1 or > 65535)
        {
            throw new ResourceValidationException($"spec.ports[{port.Name}].port {port.Port} must be 1..65535");
        }
    }

    private static void Required(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ResourceValidationException($"{field} is required");
        }
    }

    // The CRD lists the same values as an enum: a state IPAM does not know would be neither held nor free.
    private static void OneOf(string field, string value, params string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ResourceValidationException($"{field} \"{value}\" must be one of {string.Join(", ", allowed)}");
        }
    }

    private static void NonNegative(string field, int value)
    {
        if (value < 0)
        {
            throw new ResourceValidationException($"{field} {value} must not be negative");
        }
    }

    private static void Port(string field, int? port)
    {
        if (port is < 1 or > 65535)
        {
            throw new ResourceValidationException($"{field} {port} must be 1–65535");
        }
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or ':';

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SecretNamePattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespaceNamePattern();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+$")]
    private static partial Regex SecretKeyPattern();
}
