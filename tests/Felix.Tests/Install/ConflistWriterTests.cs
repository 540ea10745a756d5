using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RoutedNet.Felix.Configuration;
using RoutedNet.Felix.Hosting;
using RoutedNet.Felix.Install;

namespace RoutedNet.Felix.Tests.Install;

/// <summary>
/// The conflist appears only once every other readiness component is ready, /readyz waits for
/// it, a changed or removed file is put back at the next resync, and a stop leaves it in place.
/// </summary>
public sealed class ConflistWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-conflist-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly HealthRegistry _health = new();
    private readonly AgentOptions _options;

    public ConflistWriterTests()
    {
        // Not there yet, as on a fresh node: the writer makes it.
        _options = new AgentOptions { NodeName = "n1", CniConfDir = System.IO.Path.Combine(_dir, "net.d"), ResyncInterval = TimeSpan.FromSeconds(30) };
        _health.Register(HealthRegistry.Datastore);
        _health.Register(HealthRegistry.Routes);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Path => System.IO.Path.Combine(_dir, "net.d", "05-routednet.conflist");

    private ConflistWriter NewWriter() => new(_health, _options, _time, NullLogger<ConflistWriter>.Instance);

    /// <summary>Moves the fake clock in small steps, letting the writer's loop run between them.</summary>
    private async Task AdvanceAsync(TimeSpan by)
    {
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromMilliseconds(200))
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(5);
        }
    }

    private async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Writer_NodeNotReady_NoFileAndNotReady_ThenReady_File0644AndReady()
    {
        using var writer = NewWriter();
        await writer.StartAsync(CancellationToken.None);
        _health.ReportReady(HealthRegistry.Datastore);

        await AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.False(File.Exists(Path));
        Assert.False(_health.IsReady);
        Assert.Contains(_health.Snapshot(), c => c.Name == ConflistWriter.Component && !c.Ready);

        _health.ReportReady(HealthRegistry.Routes);
        await UntilAsync(() => _health.IsReady);

        Assert.True(_health.IsReady);
        Assert.Equal(CniConflist.Render(_options), File.ReadAllBytes(Path));
        Assert.Equal(ConflistWriter.Mode, File.GetUnixFileMode(Path));
        Assert.Equal([Path], Directory.GetFiles(System.IO.Path.Combine(_dir, "net.d")));
        await writer.StopAsync(CancellationToken.None);
        Assert.True(File.Exists(Path));
    }

    [Fact]
    public async Task Writer_FileEditedOrRemoved_PutBackAtTheNextResync_UnchangedFileNotRewritten()
    {
        _health.ReportReady(HealthRegistry.Datastore);
        _health.ReportReady(HealthRegistry.Routes);
        using var writer = NewWriter();
        await writer.StartAsync(CancellationToken.None);
        await UntilAsync(() => _health.IsReady);
        var longAgo = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path, longAgo);

        Assert.False(writer.WriteIfChanged());
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(Path));

        File.WriteAllText(Path, "{}");
        await UntilAsync(() => File.ReadAllText(Path) != "{}");
        Assert.Equal(CniConflist.Render(_options), File.ReadAllBytes(Path));

        File.Delete(Path);
        await UntilAsync(() => File.Exists(Path));
        Assert.Equal(CniConflist.Render(_options), File.ReadAllBytes(Path));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Writer_Uninstalling_RemovedFileNotPutBack()
    {
        _health.ReportReady(HealthRegistry.Datastore);
        _health.ReportReady(HealthRegistry.Routes);
        var verdict = new UninstallVerdict();
        using var writer = new ConflistWriter(_health, _options, _time, NullLogger<ConflistWriter>.Instance, verdict);
        await writer.StartAsync(CancellationToken.None);
        await UntilAsync(() => _health.IsReady);

        verdict.SetUninstall();
        File.Delete(Path);
        await AdvanceAsync(TimeSpan.FromSeconds(120));

        Assert.False(File.Exists(Path));
        await writer.StopAsync(CancellationToken.None);
    }
}
