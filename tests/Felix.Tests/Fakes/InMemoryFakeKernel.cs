using System.Net;
using RoutedNet.BgpSpeaker.Wire;
using RoutedNet.Felix.Dataplane;

namespace RoutedNet.Felix.Tests.Fakes;

/// <summary>
/// An in-memory stand-in for the kernel's main table, links and sysctls, keyed like the kernel
/// (one route per prefix). Tests add "foreign" routes and links behind the reconciler's back and
/// can make the next writes fail. Thread-safe, so a test can look while a reconciler loop writes.
/// </summary>
public sealed class InMemoryFakeKernel : IKernelRoutes, ISysctls
{
    private readonly Dictionary<IPNetwork, KernelRoute> _routes = [];
    private readonly List<KernelLink> _links = [];
    private readonly Dictionary<string, string> _sysctls = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int ApplyCalls { get; private set; }

    public List<RouteChange> Writes { get; } = [];

    /// <summary>While set, every route change fails with this error.</summary>
    public string? FailWrites { get; set; }

    public IReadOnlyDictionary<IPNetwork, KernelRoute> Routes
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<IPNetwork, KernelRoute>(_routes);
            }
        }
    }

    public IReadOnlyDictionary<string, string> Sysctls => _sysctls;

    public void AddLink(string name) => _links.Add(new KernelLink(_links.Count + 2, name));

    private readonly HashSet<string> _downLinks = new(StringComparer.Ordinal);

    /// <summary>A link that exists but is not up: routes through it are refused with ENETDOWN (a veth the CNI plugin has not set up yet).</summary>
    public void SetLinkDown(string name, bool down)
    {
        if (down)
        {
            _downLinks.Add(name);
        }
        else
        {
            _downLinks.Remove(name);
        }
    }

    public void RemoveLink(string name)
    {
        _links.RemoveAll(l => l.Name == name);
        foreach (var route in _routes.Values.Where(r => r.Target.Device == name).ToList())
        {
            _routes.Remove(route.Destination);
        }
    }

    /// <summary>A route made by someone else (or by us in an earlier life), behind the reconciler's back.</summary>
    public void AddRoute(string prefix, RouteTarget target, byte protocol) =>
        _routes[IPNetwork.Parse(prefix)] = new KernelRoute(IPNetwork.Parse(prefix), target, protocol);

    public void DeleteRoute(string prefix)
    {
        lock (_gate)
        {
            _routes.Remove(IPNetwork.Parse(prefix));
        }
    }

    public void AddSysctl(string name, string value) => _sysctls[name] = value;

    /// <summary>Runs at every read-back, before it (a test makes the read-back "take" fake time).</summary>
    public Action? OnListRoutes { get; set; }

    public IReadOnlyList<KernelRoute> ListRoutes()
    {
        OnListRoutes?.Invoke();
        lock (_gate)
        {
            return _routes.Values.ToList();
        }
    }

    /// <summary>When set, a scan fails with it after handing over <see cref="ScanRoutesBeforeFailure"/> routes (a read-back cut off halfway).</summary>
    public Exception? FailScan { get; set; }

    public int ScanRoutesBeforeFailure { get; set; }

    public void ScanRoutes(IKernelRouteSink sink)
    {
        var handed = 0;
        foreach (var route in ListRoutes())
        {
            if (FailScan is not null && handed++ >= ScanRoutesBeforeFailure)
            {
                throw FailScan;
            }
            sink.Route(BgpPrefix.FromIPNetwork(route.Destination), route.Target, route.Protocol);
        }
    }

    /// <summary>When set, a whole batch fails with it (a socket-level error: nothing written).</summary>
    public Exception? FailBatch { get; set; }

    /// <summary>How many more batches succeed before <see cref="FailBatch"/> applies.</summary>
    public int BatchesBeforeFailure { get; set; }

    /// <summary>The size of every batch applied, in order.</summary>
    public List<int> BatchSizes { get; } = [];

    public IReadOnlyList<RouteChangeResult> Apply(IReadOnlyList<RouteChange> changes)
    {
        lock (_gate)
        {
            if (FailBatch is not null && BatchesBeforeFailure-- <= 0)
            {
                throw FailBatch;
            }
            BatchSizes.Add(changes.Count);
            return ApplyLocked(changes);
        }
    }

    private IReadOnlyList<RouteChangeResult> ApplyLocked(IReadOnlyList<RouteChange> changes)
    {
        ApplyCalls++;
        var results = new List<RouteChangeResult>();
        foreach (var change in changes)
        {
            Writes.Add(change);
            var prefix = change.Route.Destination;
            if (FailWrites is not null)
            {
                results.Add(new RouteChangeResult(change, FailWrites, false));
            }
            else if (change.Delete)
            {
                var gone = !_routes.TryGetValue(prefix, out var existing) || existing.Protocol != change.Route.Protocol;
                if (!gone)
                {
                    _routes.Remove(prefix);
                }
                results.Add(new RouteChangeResult(change, gone ? "ESRCH" : null, gone));
            }
            else if (change.Route.Target.Device is { } device && !_links.Exists(l => l.Name == device))
            {
                results.Add(new RouteChangeResult(change, "ENODEV", false));
            }
            else if (change.Route.Target.Device is { } downDevice && _downLinks.Contains(downDevice))
            {
                results.Add(new RouteChangeResult(change, "ENETDOWN (Device for nexthop is not up)", false) { DeviceDown = true });
            }
            else if (change.CreateOnly && _routes.ContainsKey(prefix))
            {
                results.Add(new RouteChangeResult(change, "EEXIST", false, AlreadyExists: true));
            }
            else
            {
                _routes[prefix] = change.Route;
                results.Add(new RouteChangeResult(change, null, false));
            }
        }
        return results;
    }

    /// <summary>When set, listing the links fails with it.</summary>
    public Exception? FailListLinks { get; set; }

    public IReadOnlyList<KernelLink> ListLinks()
    {
        lock (_gate)
        {
            if (FailListLinks is not null)
            {
                throw FailListLinks;
            }
            return _links.ToList();
        }
    }

    public string? Read(string name) => _sysctls.GetValueOrDefault(name);

    public void Write(string name, string value)
    {
        if (FailWrites is not null)
        {
            throw new IOException(FailWrites);
        }
        if (!_sysctls.ContainsKey(name))
        {
            throw new FileNotFoundException(name);
        }
        _sysctls[name] = value;
    }
}
