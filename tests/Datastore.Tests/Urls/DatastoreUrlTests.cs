using RoutedNet.Datastore;

namespace RoutedNet.Datastore.Tests.Urls;

public sealed class DatastoreUrlTests
{
    [Fact]
    public void Parse_SqliteAbsolute_GivesPath()
    {
        var url = DatastoreUrl.Parse("sqlite:///var/lib/routednet/store.db");

        Assert.Equal(DatastoreKind.Sqlite, url.Kind);
        Assert.Equal("/var/lib/routednet/store.db", url.SqlitePath);
    }

    [Fact]
    public void Parse_EtcdSeveralEndpoints_GivesEachInOrder()
    {
        var url = DatastoreUrl.Parse("etcd://127.0.0.1:2379, 10.0.0.2:2379,[fd00::1]:2379");

        Assert.Equal(DatastoreKind.Etcd, url.Kind);
        Assert.Equal(["127.0.0.1:2379", "10.0.0.2:2379", "[fd00::1]:2379"], url.EtcdEndpoints.Select(u => u.Authority));
    }

    [Theory]
    [InlineData("etcds://127.0.0.1:2379,10.0.0.2:2379")]
    [InlineData("https://127.0.0.1:2379,https://10.0.0.2:2379/")]
    public void Parse_EtcdWithTls_HttpsEndpoints(string text)
    {
        var url = DatastoreUrl.Parse(text);

        Assert.Equal(DatastoreKind.Etcd, url.Kind);
        Assert.True(url.EtcdTls);
        Assert.Equal(["https://127.0.0.1:2379/", "https://10.0.0.2:2379/"], url.EtcdEndpoints.Select(u => u.ToString()));
    }

    [Fact]
    public void Parse_EtcdctlStylePlainEndpoints_NoTls()
    {
        var url = DatastoreUrl.Parse("http://127.0.0.1:2379");

        Assert.False(url.EtcdTls);
        Assert.Equal("http", url.EtcdEndpoints[0].Scheme);
    }

    [Theory]
    [InlineData("etcd://root:hunter2@127.0.0.1:2379")]
    [InlineData("https://root:hunter2@127.0.0.1:2379")]
    public void Parse_CredentialsInUrl_RefusedWithoutRepeatingThem(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DatastoreUrl.Parse(text));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("--etcd-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MixedSchemes_Refused()
    {
        Assert.Throws<ArgumentException>(() => DatastoreUrl.Parse("https://127.0.0.1:2379,http://10.0.0.2:2379"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sqlite://")]
    [InlineData("etcd://")]
    [InlineData("etcd://127.0.0.1")]
    [InlineData("etcd://127.0.0.1:2379/prefix")]
    [InlineData("postgres://db")]
    [InlineData("/var/lib/routednet/store.db")]
    [InlineData("kubernetes://")]
    [InlineData("Kubernetes")]
    public void Parse_Invalid_ThrowsNamingTheAcceptedForms(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DatastoreUrl.Parse(text));

        Assert.Contains("sqlite://PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("etcd://HOST:PORT", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubernetes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Kubernetes_IsTheKubernetesKind()
    {
        var url = DatastoreUrl.Parse("kubernetes");

        Assert.Equal(DatastoreKind.Kubernetes, url.Kind);
        Assert.Equal("kubernetes", url.ToString());
    }

    [Fact]
    public async Task StoreFactory_Kubernetes_SaysWhereItIsOpened()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StoreFactory.OpenAsync("kubernetes"));

        Assert.Contains("KubernetesStoreFactory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExplicitValue_WinsOverEnvironmentAndDefault()
    {
        Assert.Equal("etcd://10.0.0.1:2379", DatastoreUrl.Resolve("etcd://10.0.0.1:2379").Text);
    }

    [Fact]
    public void Resolve_NoValue_UsesEnvironmentElseDefault()
    {
        // The only test that touches this variable; restored afterwards.
        var saved = Environment.GetEnvironmentVariable(DatastoreUrl.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatastoreUrl.EnvironmentVariable, "sqlite:///tmp/x.db");
            Assert.Equal("/tmp/x.db", DatastoreUrl.Resolve(null).SqlitePath);
            Environment.SetEnvironmentVariable(DatastoreUrl.EnvironmentVariable, null);
            Assert.Equal("/var/lib/routednet/store.db", DatastoreUrl.Resolve("").SqlitePath);
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatastoreUrl.EnvironmentVariable, saved);
        }
    }
}
