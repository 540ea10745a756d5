namespace RoutedNet.Felix.Dataplane;

/// <summary>The kernel route types the agent makes (rtm_type RTN_UNICAST, RTN_BLACKHOLE); anything else is "Other".</summary>
public enum RouteType
{
    Unicast,
    Blackhole,
    Other,
}
