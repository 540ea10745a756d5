using System.ComponentModel;
using System.Diagnostics;
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

    /// <summary>Runs ADD and returns the delegate's result.</summary>
    public CniResult Add(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var output = RunNegotiating("ADD", config);
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

    /// <summary>Runs a verb whose success carries no result (DEL, CHECK, GC, STATUS).</summary>
    public void Run(string command, NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        RunNegotiating(command, config);
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
    private byte[] RunNegotiating(string command, NetworkConfig config)
    {
        try
        {
            return Exec(command, config.Raw);
        }
        catch (CniException e) when (e.Code == CniErrorCode.IncompatibleVersion)
        {
            var common = SupportedVersions()
                .Where(v => CniVersions.IsSupported(v) && CniVersions.Compare(v, config.CniVersion) < 0)
                .OrderByDescending(v => v, Comparer<string>.Create(CniVersions.Compare))
                .FirstOrDefault();
            if (common is null)
            {
                throw;
            }
            return Exec(command, WithVersion(config.Raw, common));
        }
    }

    private static byte[] WithVersion(byte[] raw, string version)
    {
        var node = JsonNode.Parse(raw)!.AsObject();
        node["cniVersion"] = version;
        return System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private byte[] Exec(string command, byte[] stdin)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        psi.Environment["CNI_COMMAND"] = command;
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new CniException(CniErrorCode.DelegateFailed, $"cannot start {Path}");
        }
        catch (Win32Exception e)
        {
            throw new CniException(CniErrorCode.DelegateFailed, $"cannot run IPAM plugin {Path}: {e.Message}");
        }
        using (process)
        {
            // Write all of stdin, then read stdout, both synchronously on this thread. A CNI plugin
            // reads its whole config before it writes anything, and a config fits the pipe buffer;
            // an async read would start the socket engine and thread pool, and on a busy node every
            // hand-off between those threads waits for a time slice (docs/BENCHMARKS.md, issue 2 run 1).
            try
            {
                process.StandardInput.BaseStream.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The delegate exited without reading its config; its exit code and output say why.
            }
            using var stdout = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(stdout);
            process.WaitForExit();
            var output = stdout.ToArray();
            if (process.ExitCode != 0)
            {
                throw FailureOf(command, process.ExitCode, output);
            }
            return output;
        }
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
