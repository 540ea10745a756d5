using RoutedNet.Tests.TestKit;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Tests.Interop.KubeApi;

/// <summary>
/// The stand-in API server (<see cref="KubeApiServerProcess"/>) for one test class, with the real
/// kubectl pointed at it through its cluster-admin kubeconfig. The CRDs are not created by the
/// fixture: the tests install them with kubectl, as an operator would.
/// </summary>
public sealed class StandIn : IAsyncLifetime
{
    private KubeApiServerProcess? _server;

    public KubeApiServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public string Dir => Server.Dir;

    /// <summary>The cluster-admin kubeconfig (https, the stand-in's CA) kubectl and helm use.</summary>
    public string KubeconfigPath => Server.KubeconfigPath;

    public Kubectl Kubectl => new(KubeconfigPath, Path.Combine(Dir, "kubectl-cache"));

    public static string CrdDirectory => Path.Combine(RepoPaths.Root, "charts", "routednet", "crds");

    public static string TestData(string name) => Path.Combine(RepoPaths.Root, "tests", "Interop", "KubeApi", "testdata", name);

    public async Task InitializeAsync()
    {
        _ = KubeTools.Kubectl; // a missing or wrong kubectl fails first, naming the install command
        _server = await KubeApiServerProcess.StartAsync();
    }

    /// <summary>Applies charts/routednet/crds server-side (as helm 4 does) and waits until each is Established.</summary>
    public async Task InstallCrdsAsync()
    {
        await Kubectl.CheckAsync("apply", "--server-side", "-f", CrdDirectory);
        await Kubectl.CheckAsync("wait", "--for=condition=Established", "--timeout=30s", "-f", CrdDirectory);
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
