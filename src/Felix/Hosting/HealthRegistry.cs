using System.Collections.Concurrent;

namespace RoutedNet.Felix.Hosting;

/// <summary>
/// Readiness of the agent's parts, written by each service's loop and read by /readyz, /livez and
/// the local API. The agent is ready when every registered component has been ready once: the
/// datastore synced and the dataplane programmed.
/// </summary>
public sealed class HealthRegistry
{
    public const string Datastore = "datastore";
    public const string Routes = "routes";
    public const string Sysctls = "sysctls";
    public const string Bgp = "bgp";
    public const string Policy = "policy";

    private readonly ConcurrentDictionary<string, ComponentHealth> _components = new(StringComparer.Ordinal);

    /// <summary>Declares a component that readiness waits for.</summary>
    public void Register(string name) => _components.TryAdd(name, new ComponentHealth(name, false, false, "starting"));

    public void ReportReady(string name) =>
        _components[name] = new ComponentHealth(name, true, false, "ok");

    /// <summary>Not ready yet, with why in a few fixed words (e.g. "waiting for the datastore"): /readyz shows them to anyone who reaches the port, so never error text.</summary>
    public void ReportWaiting(string name, string detail) =>
        _components.AddOrUpdate(name, n => new ComponentHealth(n, false, false, detail), (n, old) => old with { Detail = detail, Degraded = false });

    /// <summary>A failure: keeps readiness as it was, records the error (for the log and the root-only API; /readyz shows only that it is failing).</summary>
    public void ReportFailure(string name, string error) =>
        _components.AddOrUpdate(name, n => new ComponentHealth(n, false, true, error), (n, old) => old with { Degraded = true, Detail = error });

    public IReadOnlyList<ComponentHealth> Snapshot() =>
        _components.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public bool IsReady => !_components.IsEmpty && _components.Values.All(c => c.Ready);

    /// <summary>Whether every component but <paramref name="name"/> has been ready once: for a last step that readiness itself waits for (the conflist).</summary>
    public bool IsReadyExcept(string name) => _components.Values.All(c => c.Ready || c.Name == name);
}
