using System.Net;
using System.Net.Sockets;
using RoutedNet.Netlink.Conntrack;
using RoutedNet.Policy;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// Cuts established flows that policy no longer allows (lab notes netpol §6, "Conntrack";
/// `--policy-revoke-established Always`): the forward chain accepts packets of established
/// flows before any policy, so after a change that can narrow what is allowed the conntrack table
/// of the node is read (ctnetlink dump) and every entry to or from a local endpoint that the model
/// now refuses is deleted; the flow's next packet is judged as new and dropped. Entries of
/// addresses whose endpoint went away are deleted too (a reused address must not inherit a flow).
/// </summary>
internal sealed class ConntrackRevoker : IDisposable
{
    private ConntrackHandle? _handle;

    /// <summary>Deletes the refused entries; returns how many.</summary>
    public int Revoke(PolicyPlan plan, PolicySnapshot snapshot, IReadOnlySet<IPAddress> removed)
    {
        var local = new HashSet<IPAddress>(plan.Endpoints.Values.SelectMany(e => e.Addresses));
        // Only entries of these addresses can go. One dump for the families they have: each dump
        // walks the kernel's whole conntrack hash, whatever it returns (~2 x 7 ms at 262,144
        // buckets here, most of a change's agent time in bench/policy-enforce.sh before).
        var families = local.Concat(removed).Select(a => a.AddressFamily).Distinct().ToList();
        if (families.Count == 0)
        {
            return 0;
        }
        var handle = _handle ??= ConntrackHandle.Open();
        var deleted = 0;
        foreach (var entry in handle.List(families.Count == 1 ? families[0] : AddressFamily.Unspecified))
        {
            var revoke = removed.Contains(entry.Source) || removed.Contains(entry.Destination)
                || ((local.Contains(entry.Source) || local.Contains(entry.Destination)) && !PolicyModel.IsAllowed(snapshot, FlowOf(entry, snapshot)));
            if (revoke && handle.Delete(entry))
            {
                deleted++;
            }
        }
        return deleted;
    }

    public void Dispose() => _handle?.Dispose();

    private static Flow FlowOf(ConntrackEntry entry, PolicySnapshot snapshot)
    {
        var ports = Protocols.HasPorts(entry.Protocol);
        var icmp = entry.Protocol is Protocols.Icmp or Protocols.IcmpV6;
        return new Flow(snapshot.End(entry.Source), snapshot.End(entry.Destination), entry.Protocol, ports ? entry.DestinationPort : null, ports ? entry.SourcePort : null)
        {
            IcmpType = icmp ? entry.IcmpType : null,
            IcmpCode = icmp ? entry.IcmpCode : null,
        };
    }
}
