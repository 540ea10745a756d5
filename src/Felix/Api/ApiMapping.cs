using System.Net;
using Grpc.Core;
using Google.Protobuf.WellKnownTypes;
using RoutedNet.BgpSpeaker.Bfd;
using RoutedNet.Felix.Bgp;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Reconcilers.Routes;
using V1 = RoutedNet.Felix.Api.V1;

namespace RoutedNet.Felix.Api;

/// <summary>Agent records to node.proto messages.</summary>
internal static class ApiMapping
{
    public static V1.AgentWorkloadEndpoint ToApi(RoutedNet.Datastore.Resources.WorkloadEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        var result = new V1.AgentWorkloadEndpoint
        {
            Name = endpoint.Name,
            Namespace = spec.Namespace,
            Pod = spec.Pod,
            ContainerId = spec.ContainerID,
            Interface = spec.Interface,
            HostInterface = spec.HostInterface ?? "",
            Network = spec.Network ?? "",
        };
        result.IpNetworks.Add(spec.IPNetworks);
        foreach (var (key, value) in endpoint.Metadata.Labels ?? new Dictionary<string, string>())
        {
            result.Labels[key] = value;
        }
        foreach (var (key, value) in spec.NamespaceLabels ?? new Dictionary<string, string>())
        {
            result.NamespaceLabels[key] = value;
        }
        return result;
    }

    public static V1.Peer ToApi(BgpPeerStatus peer) => new()
    {
        Address = peer.Config.Address.ToString(),
        AsNumber = peer.Config.AsNumber,
        Type = peer.Config.Type switch
        {
            PeerType.Mesh => V1.PeerType.Mesh,
            PeerType.Global => V1.PeerType.Global,
            _ => V1.PeerType.NodeSpecific,
        },
        State = peer.State switch
        {
            PeerState.Idle => V1.SessionState.Idle,
            PeerState.Connect => V1.SessionState.Connect,
            PeerState.Active => V1.SessionState.Active,
            PeerState.OpenSent => V1.SessionState.OpenSent,
            PeerState.OpenConfirm => V1.SessionState.OpenConfirm,
            _ => V1.SessionState.Established,
        },
        Since = Timestamp.FromDateTimeOffset(peer.Since),
        LastError = peer.LastError ?? "",
        Source = peer.Config.Source,
        Counters = new V1.PeerCounters
        {
            PrefixesReceived = (ulong)peer.PrefixesReceived,
            PrefixesAccepted = (ulong)peer.PrefixesAccepted,
            PrefixesAdvertised = (ulong)peer.PrefixesAdvertised,
            Flaps = (ulong)peer.Flaps,
            UpdatesReceived = (ulong)peer.UpdatesReceived,
            UpdatesSent = (ulong)peer.UpdatesSent,
            PrefixesFiltered = (ulong)Math.Max(0, peer.PrefixesReceived - peer.PrefixesAccepted),
            ImportRejected = (ulong)peer.ImportRejected,
        },
        Bfd = peer.Bfd is { } bfd ? ToApi(bfd, peer.Config.Bfd?.Graceful ?? false) : null,
        Drain = DrainText(peer.Drain),
    };

    /// <summary>The drain phase as node.proto spells it ("" in service).</summary>
    public static string DrainText(DrainPhase phase) => phase switch
    {
        DrainPhase.GracefulShutdown => "graceful-shutdown",
        DrainPhase.Drained => "drained",
        _ => "",
    };

    public static V1.PeerBfd ToApi(BfdSessionStatus bfd, bool graceful) => new()
    {
        State = ToApi(bfd.State),
        RemoteState = ToApi(bfd.RemoteState),
        LocalDiscriminator = bfd.LocalDiscriminator,
        RemoteDiscriminator = bfd.RemoteDiscriminator,
        TransmitIntervalUs = Microseconds(bfd.TransmitInterval),
        ReceiveIntervalUs = Microseconds(bfd.ReceiveInterval),
        DetectTimeUs = Microseconds(bfd.DetectionTime),
        LastDownDiagnostic = bfd.LastDownDiagnostic == BfdDiagnostic.None ? "" : bfd.LastDownDiagnostic.ToString(),
        Ups = (ulong)bfd.Ups,
        Downs = (ulong)bfd.Downs,
        RemoteControlPlaneIndependent = bfd.RemoteControlPlaneIndependent,
        Graceful = graceful,
        Multihop = bfd.Multihop,
    };

    private static V1.BfdState ToApi(BfdState state) => state switch
    {
        BfdState.AdminDown => V1.BfdState.AdminDown,
        BfdState.Down => V1.BfdState.Down,
        BfdState.Init => V1.BfdState.Init,
        _ => V1.BfdState.Up,
    };

    private static ulong Microseconds(TimeSpan value) => (ulong)(value.Ticks / TimeSpan.TicksPerMicrosecond);

    public static V1.RibEntry ToApi(BgpRibEntry entry)
    {
        var api = new V1.RibEntry
        {
            Prefix = entry.Prefix.ToString(),
            DecisionStep = entry.DecisionStep,
            Peer = entry.Peer?.ToString() ?? "",
            Local = entry.Local,
        };
        api.NextHops.Add(entry.NextHops.Select(n => n.ToString()));
        api.AsPath.Add(entry.AsPath);
        return api;
    }

    public static V1.RouteStatus ToApi(RouteStatusEntry entry)
    {
        var api = new V1.RouteStatus
        {
            Prefix = entry.Prefix.ToString(),
            Kind = entry.Kind switch
            {
                RouteKind.Workload => V1.RouteKind.Workload,
                RouteKind.Blackhole => V1.RouteKind.Blackhole,
                RouteKind.Bgp => V1.RouteKind.Bgp,
                _ => V1.RouteKind.Foreign,
            },
            State = entry.State switch
            {
                RouteState.Ok => V1.RouteState.Ok,
                RouteState.Missing => V1.RouteState.Missing,
                RouteState.Unexpected => V1.RouteState.Unexpected,
                RouteState.WrongNextHop => V1.RouteState.WrongNextHop,
                RouteState.MissingBlackhole => V1.RouteState.MissingBlackhole,
                _ => V1.RouteState.Conflict,
            },
            Detail = entry.Detail,
        };
        if (entry.Desired is { } desired)
        {
            api.Desired = ToApi(desired, RouteOwnership.Protocol);
        }
        if (entry.Programmed is { } programmed)
        {
            api.Programmed = ToApi(programmed, entry.ForeignProtocol ?? RouteOwnership.Protocol);
        }
        return api;
    }

    private static V1.RouteTarget ToApi(RouteTarget target, byte protocol)
    {
        var api = new V1.RouteTarget
        {
            Blackhole = target.Type == RouteType.Blackhole,
            Interface = target.Device ?? "",
            Protocol = protocol,
        };
        api.NextHops.Add(target.Gateways.Select(g => g.ToString()));
        return api;
    }

    public static V1.PolicyStatus ToApi(RoutedNet.Felix.Reconcilers.Policy.PolicyStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var current = status.Current;
        var api = new V1.PolicyStatus
        {
            EnforcedRevision = current.EnforcedRevision,
            Policies = (uint)current.Policies,
            ActivePolicies = (uint)current.ActivePolicies,
            LastProgrammingSeconds = current.LastProgramming?.TotalSeconds ?? 0,
            NftBatches = (ulong)current.Batches,
            NftErrors = (ulong)status.Errors,
            SetElements = (uint)current.SetElements,
            Table = "inet " + RoutedNet.Felix.Reconcilers.Policy.PolicyTable.Name,
            WaitTimeouts = (ulong)status.WaitTimeouts,
        };
        if (current.LastCommit is { } at)
        {
            api.LastCommit = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at);
        }
        api.ProgrammedEndpoints.Add(current.ProgrammedEndpoints);
        api.PendingEndpoints.Add(current.PendingEndpoints);
        return api;
    }

    public static V1.PolicyRuleCounter ToApi(PolicyCounters.PolicyRuleCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return new V1.PolicyRuleCounter
        {
            Tier = counter.Tier,
            Namespace = counter.Namespace ?? "",
            Name = counter.Name,
            Direction = counter.Direction,
            Rule = (uint)counter.Rule,
            Action = counter.Action,
            Packets = counter.Packets,
            Bytes = counter.Bytes,
        };
    }

    public static V1.ImplicitDropCounter ToApi(PolicyCounters.ImplicitDropCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return new V1.ImplicitDropCounter { Tier = counter.Tier, Direction = counter.Direction, Reason = counter.Reason, Packets = counter.Packets, Bytes = counter.Bytes };
    }

    public static V1.PolicyDropEvent ToApi(PolicyDrops.PolicyDrop drop)
    {
        ArgumentNullException.ThrowIfNull(drop);
        return new V1.PolicyDropEvent
        {
            Time = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(drop.Time),
            Direction = PolicyDrops.DropText.Of(drop.Direction),
            Reason = PolicyDrops.DropText.Of(drop.Reason),
            Id = drop.Id,
            Policy = drop.Policy ?? "",
            Endpoint = drop.Endpoint ?? "",
            Packet = drop.Packet?.ToString() ?? "",
        };
    }

    public static V1.PolicyTraceStep ToApi(RoutedNet.Netlink.Nftables.Tracing.TraceStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new V1.PolicyTraceStep
        {
            PacketId = step.PacketId,
            Table = step.Table,
            Chain = step.Chain,
            Rule = step.Rule ?? "",
            Verdict = step.Verdict,
            Packet = step.Packet?.ToString() ?? "",
            Policy = step.Policy ?? "",
        };
    }

    /// <summary>The request's flow; a bad address, protocol or port is refused as InvalidArgument naming it.</summary>
    public static RoutedNet.Netlink.Nftables.Tracing.TraceFilter FromApi(V1.TracePolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        static IPAddress? Address(string text, string what) =>
            text.Length == 0 ? null
            : IPAddress.TryParse(text, out var address) ? address
            : throw new RpcException(new Status(StatusCode.InvalidArgument, $"{what} \"{text}\" is not an IP address"));
        byte? protocol = request.Protocol.ToLowerInvariant() switch
        {
            "" => null,
            "tcp" => 6,
            "udp" => 17,
            "sctp" => 132,
            "icmp" => 1,
            "icmpv6" => 58,
            var other => throw new RpcException(new Status(StatusCode.InvalidArgument, $"protocol \"{other}\" is not one of tcp, udp, sctp, icmp, icmpv6")),
        };
        return new(Address(request.Source, "source"), Address(request.Destination, "destination"), protocol,
            request.DestinationPort is 0 ? null : request.DestinationPort <= ushort.MaxValue ? (ushort)request.DestinationPort : throw new RpcException(new Status(StatusCode.InvalidArgument, $"port {request.DestinationPort} is out of range")));
    }
}
