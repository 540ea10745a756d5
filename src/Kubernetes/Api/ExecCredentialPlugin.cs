using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// A kubeconfig user's `exec` credential plugin (client.authentication.k8s.io ExecCredential, the
/// way EKS, GKE and AKS kubeconfigs authenticate): the command runs with KUBERNETES_EXEC_INFO set,
/// prints an ExecCredential whose status.token is the bearer token, and the token is kept until
/// its status.expirationTimestamp (for the process's life when it has none). Never interactive:
/// the agent and routednetctl have no terminal to prompt on. A plugin that answers with a client
/// certificate instead of a token is refused in one line (TLS client keys are fixed when the
/// connection opens).
/// </summary>
internal sealed class ExecCredentialPlugin
{
    // A token that expires within this margin is fetched again rather than sent.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private string? _token;
    private DateTimeOffset? _expires;

    public required string ApiVersion { get; init; }

    /// <summary>The command: a path with a '/' is relative to the kubeconfig's directory, a bare name is looked up on PATH.</summary>
    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    public string? InstallHint { get; init; }

    /// <summary>The bearer token, running the plugin when there is none or it is about to expire.</summary>
    public string Token(TimeProvider time)
    {
        lock (_lock)
        {
            if (_token is null || (_expires is { } expires && time.GetUtcNow() >= expires - ExpiryMargin))
            {
                (_token, _expires) = Parse(Run());
            }
            return _token;
        }
    }

    private string Run()
    {
        var start = new ProcessStartInfo(Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in Args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in Env)
        {
            start.Environment[name] = value;
        }
        start.Environment["KUBERNETES_EXEC_INFO"] =
            $$$"""{"apiVersion":"{{{ApiVersion}}}","kind":"ExecCredential","spec":{"interactive":false}}""";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ExecCredentialException($"exec plugin {Command} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ExecCredentialException($"exec plugin {Command}: {e.Message}{(InstallHint is null ? "" : " (" + OneLine(InstallHint) + ")")}", e);
        }
        using (process)
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(RunTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ExecCredentialException($"exec plugin {Command}: no answer within {RunTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }
            if (process.ExitCode != 0)
            {
                var said = OneLine(stderr.GetAwaiter().GetResult());
                throw new ExecCredentialException($"exec plugin {Command} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}{(said.Length > 0 ? ": " + said : "")}");
            }
            return stdout.GetAwaiter().GetResult();
        }
    }

    private (string Token, DateTimeOffset? Expires) Parse(string output)
    {
        try
        {
            using var json = JsonDocument.Parse(output);
            if (!json.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                throw new ExecCredentialException($"exec plugin {Command}: its ExecCredential has no status");
            }
            if (!status.TryGetProperty("token", out var token) || token.GetString() is not { Length: > 0 } text)
            {
                throw new ExecCredentialException(status.TryGetProperty("clientCertificateData", out _)
                    ? $"exec plugin {Command}: answers with a client certificate, which is not supported: only tokens"
                    : $"exec plugin {Command}: its ExecCredential has no status.token");
            }
            DateTimeOffset? expires = status.TryGetProperty("expirationTimestamp", out var at) && at.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null;
            return (text, expires);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new ExecCredentialException($"exec plugin {Command}: its output is not an ExecCredential: {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string text) => text.Trim().Split('\n')[0].Trim();
}
