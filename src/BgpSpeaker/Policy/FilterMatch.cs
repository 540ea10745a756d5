namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>
/// How a <see cref="FilterRule"/> compares a route's prefix with its CIDR (Calico BGPFilter's
/// <c>matchOperator</c>): <see cref="Equal"/> the same prefix, <see cref="In"/> that prefix or one
/// inside it, and their negations.
/// </summary>
public enum FilterMatch
{
    Equal,
    NotEqual,
    In,
    NotIn,
}
