using Microsoft.Extensions.Time.Testing;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Tests.Api;

/// <summary>
/// kubeconfig `exec` plugins as cloud kubeconfigs use them (a command printing an ExecCredential),
/// played by small shell scripts that also count their runs.
/// </summary>
public sealed class ExecCredentialPluginTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("execcred-").FullName;

    private string Counter => Path.Combine(_dir, "runs");

    private int Runs => File.Exists(Counter) ? File.ReadAllLines(Counter).Length : 0;

    // A plugin that records each run (and what it was given) and prints `body` as its ExecCredential status.
    private ExecCredentialPlugin Plugin(string status, string apiVersion = "client.authentication.k8s.io/v1", int exit = 0)
    {
        var script = Path.Combine(_dir, "plugin.sh");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            echo "$* $KUBERNETES_EXEC_INFO $PROFILE" >>"{{Counter}}"
            echo 'plugin says no' >&2
            printf '%s' '{"apiVersion":"{{apiVersion}}","kind":"ExecCredential","status":{{status}}}'
            exit {{exit}}
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new ExecCredentialPlugin { ApiVersion = apiVersion, Command = script, Args = ["get-token", "prod"], Env = [new("PROFILE", "ops")] };
    }

    [Fact]
    public void Token_RunsThePluginWithItsArgsEnvAndExecInfo_ThenKeepsTheTokenUntilItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var plugin = Plugin("""{"token":"t1","expirationTimestamp":"2026-12-07T00:15:00Z"}""");

        var first = plugin.Token(time);
        time.Advance(TimeSpan.FromMinutes(14));
        var second = plugin.Token(time);

        Assert.Equal(("t1", "t1", 1), (first, second, Runs));
        Assert.Equal("""get-token prod {"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}} ops""", File.ReadAllLines(Counter)[0]);
        time.Advance(TimeSpan.FromMinutes(1));
        plugin.Token(time);
        Assert.Equal(2, Runs);
    }

    [Fact]
    public void Token_NoExpiry_OneRunForTheProcess()
    {
        var plugin = Plugin("""{"token":"t2"}""");

        plugin.Token(TimeProvider.System);
        plugin.Token(TimeProvider.System);

        Assert.Equal(1, Runs);
    }

    [Theory]
    [InlineData("""{"token":"t","expirationTimestamp":"2026-12-07T00:15:00Z"}""", 3, "exited with 3: plugin says no")]
    [InlineData("""{}""", 0, "has no status.token")]
    [InlineData("""{"clientCertificateData":"x","clientKeyData":"y"}""", 0, "client certificate, which is not supported")]
    [InlineData("""{"token":"t","expirationTimestamp":"soon"}""", 0, "its output is not an ExecCredential")]
    public void Token_PluginFailsOrAnswersWhatWeCannotUse_OneLineNamingThePlugin(string status, int exit, string expected)
    {
        var plugin = Plugin(status, exit: exit);

        var error = Assert.Throws<ExecCredentialException>(() => plugin.Token(TimeProvider.System));

        Assert.StartsWith($"exec plugin {plugin.Command}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Token_CommandMissing_SaysSoWithTheInstallHint()
    {
        var plugin = new ExecCredentialPlugin { ApiVersion = "client.authentication.k8s.io/v1", Command = "rnt-no-such-plugin", InstallHint = "install it with: apt install rnt-plugin\nmore text" };

        var error = Assert.Throws<ExecCredentialException>(() => plugin.Token(TimeProvider.System));

        Assert.Contains("exec plugin rnt-no-such-plugin", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(install it with: apt install rnt-plugin)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_ExecUser_BearerFromThePlugin()
    {
        var credentials = new KubeCredentials(new KubeEndpoint { Server = "https://x", Exec = Plugin("""{"token":"t3"}""") }, TimeProvider.System);

        Assert.Equal("Bearer t3", credentials.Header()?.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
