using System.Text;
using System.Text.Json;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// The protocol around a plugin role: reads CNI_* and stdin, checks that the config's version
/// allows the verb, calls the role, and writes the result (in the config's version) or the
/// spec's error JSON to stdout. Exit code 0 on success, 1 on any error.
/// </summary>
internal static class CniRunner
{
    public static int Run(ICniPlugin plugin, Func<string, string?> getVariable, Stream stdin, Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? version = null;
        try
        {
            var env = CniEnvironment.Read(getVariable);
            if (env.Command == CniCommand.Version)
            {
                // libcni probes VERSION with dummy CNI_* values and {"cniVersion":...}: nothing to check.
                var info = new CniVersionResult { CniVersion = CniVersions.Latest, SupportedVersions = [.. CniVersions.Supported] };
                JsonSerializer.Serialize(stdout, info, CniJsonContext.Default.CniVersionResult);
                return 0;
            }
            var config = NetworkConfig.Parse(ReadAll(stdin));
            version = config.CniVersion;
            RequireVerbInVersion(env.Command, version);
            var request = new CniRequest(env, config);
            switch (env.Command)
            {
                case CniCommand.Add:
                    stdout.Write(CniResultConverter.Write(plugin.Add(request), version));
                    break;
                case CniCommand.Del:
                    plugin.Del(request);
                    break;
                case CniCommand.Check:
                    plugin.Check(request);
                    break;
                case CniCommand.Status:
                    plugin.Status(request);
                    break;
                case CniCommand.Gc:
                    plugin.Gc(request);
                    break;
            }
            return 0;
        }
        catch (CniException e)
        {
            return Fail(stdout, stderr, version, e.Code, e.Message, e.Details);
        }
#pragma warning disable CA1031 // the runtime must always get error JSON, whatever went wrong
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail(stdout, stderr, version, 999, $"internal error: {e.Message}", e.ToString());
        }
    }

    private static void RequireVerbInVersion(CniCommand command, string version)
    {
        if (command == CniCommand.Check && !CniVersions.AllowsCheck(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"config version \"{version}\" does not allow CHECK (spec 0.4.0 and later)");
        }
        if (command is CniCommand.Status or CniCommand.Gc && !CniVersions.HasVersion11Features(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"config version \"{version}\" does not allow {command.ToString().ToUpperInvariant()} (spec 1.1.0 and later)");
        }
    }

    private static int Fail(Stream stdout, Stream stderr, string? version, int code, string message, string? details)
    {
        var error = new CniErrorResult { CniVersion = version ?? CniVersions.Latest, Code = code, Msg = message, Details = details };
        JsonSerializer.Serialize(stdout, error, CniJsonContext.Default.CniErrorResult);
        stderr.Write(Encoding.UTF8.GetBytes($"routednet: error {code}: {message}\n"));
        return 1;
    }

    // A network config is a few KiB: read it in small steps (Stream.CopyTo would rent and zero
    // an 80 KiB buffer, a measurable share of an exec's start-up).
    private static byte[] ReadAll(Stream stdin)
    {
        var buffer = new byte[4096];
        var length = 0;
        int read;
        while ((read = stdin.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
        return buffer.AsSpan(0, length).ToArray();
    }
}
