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
    [InlineData("")]
    [InlineData("sqlite://")]
    [InlineData("etcd://")]
    [InlineData("etcd://127.0.0.1")]
    [InlineData("etcd://127.0.0.1:2379/prefix")]
    [InlineData("postgres://db")]
    [InlineData("/var/lib/routednet/store.db")]
    public void Parse_Invalid_ThrowsNamingTheAcceptedForms(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => DatastoreUrl.Parse(text));

        Assert.Contains("sqlite://PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("etcd://HOST:PORT", error.Message, StringComparison.Ordinal);
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
