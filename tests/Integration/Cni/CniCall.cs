using System.Text.Json;

namespace RoutedNet.Integration.Cni;

/// <summary>What one plugin execution returned: exit code, stdout (result or error JSON), stderr.</summary>
public sealed record CniCall(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    /// <summary>The error code of a failed call (spec error JSON).</summary>
    public int ErrorCode => Json.GetProperty("code").GetInt32();

    public string ErrorMessage => Json.GetProperty("msg").GetString() ?? "";

    public CniCall EnsureSuccess() =>
        Succeeded ? this : throw new InvalidOperationException($"{Command} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");

    /// <summary>The addresses of an ADD result (CIDR strings), in order.</summary>
    public IReadOnlyList<string> Addresses =>
        [.. Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!)];

    /// <summary>The host-side interface of an ADD result (the one without a sandbox).</summary>
    public string HostInterface =>
        Json.GetProperty("interfaces").EnumerateArray().First(i => !i.TryGetProperty("sandbox", out _)).GetProperty("name").GetString()!;
}
