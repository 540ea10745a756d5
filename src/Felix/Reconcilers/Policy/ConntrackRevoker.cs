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
/// now refuses gets <see cref="PolicyTable.RevokedMark"/>, which the table drops ahead of the
/// established accept (why marked and not deleted: see the mark). A marked entry that policy
/// allows again loses its mark. Entries of addresses whose endpoint went away are deleted (a reused
/// address must not inherit a flow, nor its revocation).
/// </summary>
internal sealed class ConntrackRevoker : IDisposable
{
    private ConntrackHandle? _handle;

    /// <summary>What one pass changed, and how many revoked entries it left in the table.</summary>
    public readonly record struct Outcome(int Revoked, int Restored, int Deleted, int StillRevoked);

    /// <summary>Marks the refused entries, unmarks the allowed ones, deletes those of removed addresses.</summary>
    public Outcome Revoke(PolicyPlan plan, PolicySnapshot snapshot, IReadOnlySet<IPAddress> removed)
    {
        var local = new HashSet<IPAddress>(plan.Endpoints.Values.SelectMany(e => e.Addresses));
        // Only entries of these addresses can change. One dump for the families they have: each
        // dump walks the kernel's whole conntrack hash, whatever it returns (~2 x 7 ms at 262,144
        // buckets here, most of a change's agent time in bench/policy-enforce.sh before).
        var families = local.Concat(removed).Select(a => a.AddressFamily).Distinct().ToList();
        if (families.Count == 0)
        {
            return default;
        }
        var handle = _handle ??= ConntrackHandle.Open();
        int revoked = 0, restored = 0, deleted = 0, stillRevoked = 0;
        foreach (var entry in handle.List(families.Count == 1 ? families[0] : AddressFamily.Unspecified))
        {
            var marked = (entry.Mark & PolicyTable.RevokedMark) != 0;
            if (removed.Contains(entry.Source) || removed.Contains(entry.Destination))
            {
                deleted += handle.Delete(entry) ? 1 : 0;
                continue;
            }
            if (!local.Contains(entry.Source) && !local.Contains(entry.Destination))
            {
                // Revoked by an earlier agent for an endpoint that is gone now.
                deleted += marked && handle.Delete(entry) ? 1 : 0;
                continue;
            }
            var allowed = PolicyModel.IsAllowed(snapshot, FlowOf(entry, snapshot));
            if (!allowed && !marked && handle.SetMarkBits(entry, PolicyTable.RevokedMark, PolicyTable.RevokedMark))
            {
                revoked++;
            }
            else if (allowed && marked && handle.SetMarkBits(entry, PolicyTable.RevokedMark, 0))
            {
                restored++;
            }
            stillRevoked += allowed ? 0 : 1;
        }
        return new Outcome(revoked, restored, deleted, stillRevoked);
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
