using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Reconcilers.Sysctls;

/// <summary>
/// Desired sysctl values (global forwarding, plus each local pod's host veth) next to what the
/// kernel holds. A key that does not exist is skipped: a global IPv6 key on a host without IPv6
/// is not applicable, a veth's key appears when the veth does (retried shortly). Not thread-safe:
/// owned by <see cref="SysctlReconciler"/>'s loop.
/// </summary>
public sealed class SysctlTable
{
    public static readonly TimeSpan MissingInterfaceRetry = TimeSpan.FromSeconds(2);

    private readonly ISysctls _sysctls;
    private readonly TimeProvider _time;
    private readonly DeltaTracker<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _byInterface = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);

    public SysctlTable(ISysctls sysctls, TimeProvider time)
    {
        _sysctls = sysctls;
        _time = time;
        foreach (var (key, value) in HostSysctls.Global)
        {
            _values.SetDesired(key, value);
        }
    }

    /// <summary>Keys that did not exist at the last attempt.</summary>
    public IReadOnlyCollection<string> Missing => _missing;

    public void SetInterface(string device, bool ipv4, bool ipv6)
    {
        RemoveInterface(device);
        var values = HostSysctls.ForHostVeth(device, ipv4, ipv6);
        _byInterface[device] = values;
        foreach (var (key, value) in values)
        {
            _values.SetDesired(key, value);
        }
    }

    public void RemoveInterface(string device)
    {
        if (!_byInterface.Remove(device, out var values))
        {
            return;
        }
        foreach (var key in values.Keys)
        {
            // Nothing to undo in the kernel: the keys go with the interface.
            _values.DeleteDesired(key);
            _values.DeleteDataplane(key);
            _missing.Remove(key);
        }
    }

    public void Resync()
    {
        var actual = new List<KeyValuePair<string, string>>();
        foreach (var key in _values.Desired.Keys)
        {
            if (_sysctls.Read(key) is { } value)
            {
                actual.Add(new(key, value));
            }
        }
        _values.ReplaceDataplane(actual);
    }

    public ApplyOutcome Apply()
    {
        DateTimeOffset? wakeAt = null;
        string? firstError = null;
        foreach (var key in _values.PendingUpdates.ToList())
        {
            if (_sysctls.Read(key) is null)
            {
                _missing.Add(key);
                if (!HostSysctls.Global.ContainsKey(key))
                {
                    wakeAt = _time.GetUtcNow() + MissingInterfaceRetry;
                }
                continue;
            }
            _missing.Remove(key);
            var value = _values.Desired[key];
            try
            {
                _sysctls.Write(key, value);
                _values.SetDataplane(key, value);
            }
            catch (IOException e)
            {
                firstError ??= $"sysctl {key}={value}: {e.Message}";
            }
        }
        return new ApplyOutcome(firstError, wakeAt);
    }
}
