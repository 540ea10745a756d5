namespace RoutedNet.Felix.PolicyDrops;

/// <summary>Which side's policy dropped: the source pod's egress or the destination pod's ingress.</summary>
public enum DropDirection
{
    Egress,
    Ingress,
}
