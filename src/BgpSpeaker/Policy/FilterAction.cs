namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>What a matching <see cref="FilterRule"/> does with a route (Calico BGPFilter's <c>action</c>).</summary>
public enum FilterAction
{
    Accept,
    Reject,
}
