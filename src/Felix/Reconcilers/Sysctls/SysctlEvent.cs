namespace RoutedNet.Felix.Reconcilers.Sysctls;

/// <summary>What the sysctl loop is told by the datastore side.</summary>
public abstract record SysctlEvent
{
    private SysctlEvent()
    {
    }

    /// <summary>A local pod's host veth and the address families it carries.</summary>
    public sealed record InterfaceSet(string Device, bool IPv4, bool IPv6) : SysctlEvent;

    public sealed record InterfaceRemoved(string Device) : SysctlEvent;

    /// <summary>The datastore side has delivered every local pod.</summary>
    public sealed record InSync : SysctlEvent;
}
