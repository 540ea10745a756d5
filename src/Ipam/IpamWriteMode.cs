namespace RoutedNet.Ipam;

/// <summary>How <see cref="IpamClient"/> writes a change that touches several objects.</summary>
public enum IpamWriteMode
{
    /// <summary>Block, handle and affinity change together in one store transaction (sqlite, etcd).</summary>
    Transactional,

    /// <summary>
    /// One object per write, in the order docs/DESIGN.md (IPAM) fixes, for a store without
    /// multi-object transactions (the Kubernetes API): a crash between two writes leaves a state
    /// that only over-counts or half-claims, which `ipam check` reports and `ipam gc` repairs.
    /// </summary>
    Sequential,
}
