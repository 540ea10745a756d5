using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;

namespace RoutedNet.Felix.Install;

/// <summary>
/// Writes the node's conflist once everything else the agent reports in /readyz is ready (the
/// datastore synced, routes and sysctls programmed, BGP up, the CNI releases queued while the
/// agent was away carried out), and only then reports its own component ready: a runtime that
/// finds the file finds an agent that answers, and a rolling update that waits for /readyz waits
/// for the file too. Then, at every resync, it puts the file back if it is missing or differs
/// (someone edited or removed it), leaving it untouched otherwise. It never removes the file:
/// an agent that stops (a restart, an upgrade) leaves the node its CNI config, and the plugin
/// answers "try again later" until the next agent is up; only an uninstall removes it.
/// </summary>
public sealed partial class ConflistWriter : BackgroundService
{
    public const string Component = "cni-config";

    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(200);

    private readonly HealthRegistry _health;
    private readonly TimeProvider _time;
    private readonly ILogger<ConflistWriter> _logger;
    private readonly string _path;
    private readonly byte[] _content;
    private readonly TimeSpan _interval;
    private readonly UninstallVerdict? _uninstall;

    /// <param name="uninstall">Once it says uninstall, the file is never put back (the agent is removing it).</param>
    public ConflistWriter(HealthRegistry health, AgentOptions options, TimeProvider time, ILogger<ConflistWriter> logger, UninstallVerdict? uninstall = null)
    {
        _uninstall = uninstall;
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(options);
        _health = health;
        _time = time;
        _logger = logger;
        _path = CniConflist.PathFor(options) ?? throw new ArgumentException("no --cni-conf-dir: the agent writes no conflist", nameof(options));
        _content = CniConflist.Render(options);
        _interval = options.ResyncInterval;
        health.Register(Component);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _health.ReportWaiting(Component, "waiting for the node to be ready");
            while (!_health.IsReadyExcept(Component))
            {
                await Task.Delay(ReadyPoll, _time, stoppingToken).ConfigureAwait(false);
            }
            var retry = TimeSpan.FromMilliseconds(200);
            while (!stoppingToken.IsCancellationRequested && _uninstall?.IsUninstall != true)
            {
                TimeSpan wait;
                try
                {
                    if (WriteIfChanged())
                    {
                        LogWritten(_path);
                    }
                    _health.ReportReady(Component);
                    retry = TimeSpan.FromMilliseconds(200);
                    wait = _interval;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogFailed(_path, e.Message);
                    _health.ReportFailure(Component, $"writing {_path}: {e.Message}");
                    wait = retry;
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                }
                await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the file unless it holds exactly our content already; returns whether it wrote.</summary>
    public bool WriteIfChanged()
    {
        if (File.Exists(_path) && File.ReadAllBytes(_path).AsSpan().SequenceEqual(_content))
        {
            return false;
        }
        // kubelet's conf dir exists on a node that ran pods before; on a fresh one, as the runtime would.
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        AtomicFile.Write(_path, _content, Mode);
        return true;
    }

    /// <summary>rw-r--r--: kubelet and the runtime read it; there is nothing secret in it.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [LoggerMessage(EventId = EventIds.ConflistWritten, Level = LogLevel.Information, Message = "Wrote the CNI config {Path}: the node takes pods")]
    private partial void LogWritten(string path);

    [LoggerMessage(EventId = EventIds.ConflistFailed, Level = LogLevel.Warning, Message = "Could not write the CNI config {Path} (will retry): {Reason}")]
    private partial void LogFailed(string path, string reason);
}
