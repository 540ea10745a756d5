namespace RoutedNet.Datastore.Tests.Urls;

public sealed class EtcdSecurityTests
{
    private static readonly DatastoreUrl Tls = DatastoreUrl.Parse("etcds://127.0.0.1:2379");
    private static readonly DatastoreUrl Plain = DatastoreUrl.Parse("etcd://127.0.0.1:2379");

    [Fact]
    public void FromEnvironment_AllVariables_Read()
    {
        var env = new Dictionary<string, string>
        {
            [EtcdSecurity.CaCertFileVariable] = "/ca.pem",
            [EtcdSecurity.CertFileVariable] = "/c.pem",
            [EtcdSecurity.KeyFileVariable] = "/k.pem",
            [EtcdSecurity.UsernameVariable] = "rn",
            [EtcdSecurity.PasswordVariable] = "pw",
        };

        var security = EtcdSecurity.FromEnvironment(env.GetValueOrDefault);

        Assert.Equal(new EtcdSecurity { CaCertFile = "/ca.pem", CertFile = "/c.pem", KeyFile = "/k.pem", Username = "rn", Password = "pw" }, security);
    }

    [Fact]
    public void ToString_WithPassword_Redacted()
    {
        var text = new EtcdSecurity { Username = "rn", Password = "s3cret-pw" }.ToString();

        Assert.DoesNotContain("s3cret-pw", text, StringComparison.Ordinal);
        Assert.Contains("rn", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TlsFilesWithPlainTextUrl_RefusedNamingEtcds()
    {
        var error = Assert.Throws<ArgumentException>(() => new EtcdSecurity { CaCertFile = "/ca.pem" }.Validate(Plain));

        Assert.Contains("etcds://", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/c.pem", null, null, null)]
    [InlineData(null, "/k.pem", null, null)]
    [InlineData(null, null, "rn", null)]
    [InlineData(null, null, null, "pw")]
    public void Validate_HalfAPair_Refused(string? cert, string? key, string? user, string? password)
    {
        var security = new EtcdSecurity { CertFile = cert, KeyFile = key, Username = user, Password = password };

        var error = Assert.Throws<ArgumentException>(() => security.Validate(Tls));

        Assert.DoesNotContain("pw", error.Message.Replace("--etcd-password", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SqliteUrl_EtcdSettingsIgnored()
    {
        new EtcdSecurity { CaCertFile = "/ca.pem" }.Validate(DatastoreUrl.Parse("sqlite:///tmp/x.db"));
    }
}
