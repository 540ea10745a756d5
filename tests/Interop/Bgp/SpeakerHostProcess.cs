using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>
/// Our speaker as its own process (bench/bgp-host, built next to the tests), started inside a
/// namespace so that a test can kill -9 it and start it again — what a node agent crash looks like to
/// a peer. Runs under the test assembly's runtime configuration.
/// </summary>
public sealed class SpeakerHostProcess : IDisposable
{
    private readonly Daemon _daemon;
    private readonly string _directory;

    private SpeakerHostProcess(Daemon daemon, string directory)
    {
        _daemon = daemon;
        _directory = directory;
    }

    public static SpeakerHostProcess Start(NetNs ns, string configJson)
    {
        var directory = Directory.CreateTempSubdirectory("rnt-bgphost-").FullName;
        var config = Path.Combine(directory, "speaker.json");
        File.WriteAllText(config, configJson);
        var host = Path.Combine(AppContext.BaseDirectory, "RoutedNet.BgpHost.dll");
        var runtimeConfig = Path.Combine(AppContext.BaseDirectory, "RoutedNet.Interop.runtimeconfig.json");
        if (!File.Exists(host))
        {
            throw new InvalidOperationException($"{host} is missing: build tests/Interop (it references bench/bgp-host)");
        }
        var dotnet = Environment.ProcessPath ?? "dotnet";
        var daemon = Daemon.Start(dotnet, ["exec", "--runtimeconfig", runtimeConfig, host, config], ns, logPath: Path.Combine(directory, "speaker.log"));
        return new SpeakerHostProcess(daemon, directory);
    }

    /// <summary>SIGKILL: no NOTIFICATION, the kernel just closes the sockets.</summary>
    public void Kill()
    {
        _daemon.Signal(9);
        _daemon.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public string Log() => _daemon.Log();

    public void Dispose()
    {
        _daemon.Dispose();
        ScratchDirectory.Remove(_directory);
    }
}
