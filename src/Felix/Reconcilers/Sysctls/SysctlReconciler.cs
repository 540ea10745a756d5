using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Dataplane;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Metrics;

namespace RoutedNet.Felix.Reconcilers.Sysctls;

/// <summary>The single writer of forwarding and host-veth sysctls; logic in <see cref="SysctlTable"/>.</summary>
public sealed class SysctlReconciler : ReconcileLoop<SysctlEvent>
{
    private readonly SysctlTable _table;
    private bool _inSync;

    public SysctlReconciler(ISysctls sysctls, AgentOptions options, TimeProvider time, HealthRegistry health, ReconcileMetrics metrics, ILogger<SysctlReconciler> logger)
        : base(HealthRegistry.Sysctls, time, options.ResyncInterval, health, metrics, logger) =>
        _table = new SysctlTable(sysctls, time);

    protected override bool InputsInSync => _inSync;

    public void SetInterface(string device, bool ipv4, bool ipv6) => Post(new SysctlEvent.InterfaceSet(device, ipv4, ipv6));

    public void RemoveInterface(string device) => Post(new SysctlEvent.InterfaceRemoved(device));

    public void MarkInSync() => Post(new SysctlEvent.InSync());

    protected override void Handle(SysctlEvent item)
    {
        switch (item)
        {
            case SysctlEvent.InterfaceSet set:
                _table.SetInterface(set.Device, set.IPv4, set.IPv6);
                break;
            case SysctlEvent.InterfaceRemoved removed:
                _table.RemoveInterface(removed.Device);
                break;
            case SysctlEvent.InSync:
                _inSync = true;
                break;
        }
    }

    protected override void Resync() => _table.Resync();

    protected override ApplyOutcome Apply() => _table.Apply();
}
