using System.Text.Json;
using System.Text.Json.Nodes;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// A plugin we run ourselves, as the spec says for IPAM: found by name in CNI_PATH, given the
/// same environment (CNI_COMMAND replaced) and the same config on stdin, its stdout read as a
/// result or as error JSON. Its stderr goes straight to ours so the runtime logs it.
/// </summary>
internal sealed class DelegatedPlugin
{
    private DelegatedPlugin(string type, string path)
    {
        Type = type;
        Path = path;
    }

    public string Type { get; }

    // Far above any IPAM's time (host-local: milliseconds) and below the runtimes' own CNI call
    // deadlines, so a hung delegate becomes our error rather than a stuck pod.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Path { get; }

    /// <summary>The executable named <paramref name="type"/> in the first CNI_PATH directory that has it, or null.</summary>
    public static DelegatedPlugin? Locate(string type, IReadOnlyList<string> searchPath)
    {
        ArgumentNullException.ThrowIfNull(searchPath);
        foreach (var directory in searchPath)
        {
            var candidate = System.IO.Path.Combine(directory, type);
            if (File.Exists(candidate))
            {
                return new DelegatedPlugin(type, candidate);
            }
        }
        return null;
    }

    public static DelegatedPlugin Find(string type, IReadOnlyList<string> searchPath) =>
        Locate(type, searchPath) ?? throw NotFound(type, searchPath, CniErrorCode.InvalidNetworkConfig);

    public static CniException NotFound(string type, IReadOnlyList<string> searchPath, int code) =>
        new(code, $"IPAM plugin '{type}' not found in CNI_PATH ({string.Join(':', searchPath)})");

    /// <summary>Runs a verb whose success carries no result (DEL, CHECK, GC, STATUS).</summary>
    public void Run(string command, NetworkConfig config) => Start(command, config).Output();

    /// <summary>
    /// Starts a verb and returns at once: the delegate runs while the caller does its own work
    /// (the veth), and <see cref="DelegateCall.Output"/> waits for it.
    /// </summary>
    public DelegateCall Start(string command, NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new DelegateCall(this, command, config, StartExec(command, config.Raw));
    }

    /// <summary>Reads what a delegate's ADD printed as a result.</summary>
    public CniResult ReadAddResult(byte[] output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            return CniResultConverter.Read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"{Type} ADD returned an unreadable result: {e.Message}");
        }
    }

    /// <summary>The versions the delegate speaks (its VERSION reply).</summary>
    public IReadOnlyList<string> SupportedVersions()
    {
        var output = Exec("VERSION", """{"cniVersion":"1.0.0"}"""u8.ToArray());
        try
        {
            return JsonSerializer.Deserialize(output, CniJsonContext.Default.CniVersionResult)?.SupportedVersions ?? [];
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"{Type} VERSION returned an unreadable reply: {e.Message}");
        }
    }

    // A delegate older than the config (the reference host-local stops at 1.0.0, the config may
    // say 1.1.0) answers "incompatible version": retry once with the newest version both speak.
    // The first attempt costs nothing extra when versions match, which is the common case.
    internal byte[] RetryWithCommonVersion(string command, NetworkConfig config, CniException incompatible)
    {
        var common = SupportedVersions()
            .Where(v => CniVersions.IsSupported(v) && CniVersions.Compare(v, config.CniVersion) < 0)
            .OrderByDescending(v => v, Comparer<string>.Create(CniVersions.Compare))
            .FirstOrDefault();
        if (common is null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(incompatible);
        }
        return Exec(command, WithVersion(config.Raw, common));
    }

    private static byte[] WithVersion(byte[] raw, string version)
    {
        var node = JsonNode.Parse(raw)!.AsObject();
        node["cniVersion"] = version;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private byte[] Exec(string command, byte[] stdin) => End(command, StartExec(command, stdin));

    private RunningChild StartExec(string command, byte[] stdin)
    {
        try
        {
            return ChildProcess.Start(Path, EnvironmentFor(command), stdin, Timeout);
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"cannot run IPAM plugin {Path}: {e.Message}");
        }
    }

    /// <summary>Waits for a started verb: its stdout, or its error as a <see cref="CniException"/>.</summary>
    internal byte[] End(string command, RunningChild child)
    {
        ChildProcess.Outcome outcome;
        try
        {
            outcome = child.Finish();
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"running IPAM plugin {Path} failed: {e.Message}");
        }
        catch (TimeoutException)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"{Type} {command} did not finish within {Timeout.TotalSeconds:0} s and was killed");
        }
        if (outcome.ExitCode != 0)
        {
            throw FailureOf(command, outcome.ExitCode, outcome.Stdout);
        }
        return outcome.Stdout;
    }

    // The spec: the delegate gets our environment, CNI_COMMAND set to the verb it is to run.
    private static List<string> EnvironmentFor(string command)
    {
        var variables = Environment.GetEnvironmentVariables();
        var environment = new List<string>(variables.Count + 1) { "CNI_COMMAND=" + command };
        foreach (System.Collections.DictionaryEntry variable in variables)
        {
            if ((string)variable.Key != "CNI_COMMAND")
            {
                environment.Add($"{variable.Key}={variable.Value}");
            }
        }
        return environment;
    }

    private CniException FailureOf(string command, int exitCode, byte[] output)
    {
        try
        {
            var error = JsonSerializer.Deserialize(output, CniJsonContext.Default.CniErrorResult);
            if (error is { Code: > 0 })
            {
                return new CniException(error.Code, $"{Type} {command}: {error.Msg}", error.Details);
            }
        }
        catch (JsonException)
        {
            // Not error JSON: report the raw output below.
        }
        return new CniException(CniErrorCode.DelegateFailed, $"{Type} {command} exited {exitCode}: {System.Text.Encoding.UTF8.GetString(output).Trim()}");
    }
}
