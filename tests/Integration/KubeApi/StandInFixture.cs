using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>A fresh stand-in with the widgets test CRD, for one test class.</summary>
public sealed class StandInFixture : IAsyncLifetime
{
    public KubeApiServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await KubeApiServerProcess.StartAsync(historyWindow: 50);
        await Server.PostYamlAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", KubeHttp.WidgetCrd);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}
