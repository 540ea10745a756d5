namespace RoutedNet.Felix.Bgp;

/// <summary>BGPFilter <c>matchOperator</c>: the route's prefix equals the rule's CIDR, or lies inside it (or not).</summary>
public enum BgpFilterMatch
{
    Equal,
    NotEqual,
    In,
    NotIn,
}
