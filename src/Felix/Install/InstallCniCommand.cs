using System.CommandLine;
using RoutedNet.Felix.Configuration;

namespace RoutedNet.Felix.Install;

/// <summary>
/// `routednet-node install-cni`, the chart's init container: puts the CNI binaries from the image
/// onto the host and exits. It writes no config: the agent writes the conflist once it is ready,
/// so a node never has a config whose agent cannot answer (the Cilium lesson; Calico's
/// init container writes it first and pods fail meanwhile). Exit 0 when the binaries are in place,
/// 1 with one line when they cannot be, 2 for a bad flag or value.
/// </summary>
public static class InstallCniCommand
{
    public const string Name = "install-cni";
    public const string DefaultSourceDir = "/opt/cni/bin";

    public static readonly Setting SourceDir = new("--cni-source-dir", "ROUTEDNET_CNI_SOURCE_DIR", "", $"Where the image holds the CNI binaries; default {DefaultSourceDir}.");
    public static readonly Setting SkipBinaries = new("--skip-binaries", "ROUTEDNET_CNI_SKIP_BINARIES", "", "Copy nothing (a read-only host bin dir); fail unless both binaries are already there.");

    public static int Run(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var line = new SubcommandLine(Name, "Copies the RoutedNet CNI binaries into the host's CNI bin dir (temp file, fsync, rename; unchanged ones are left alone). Writes no config.");
        var command = line.Command;
        var binDir = new Option<string>(Setting.CniBinDir.Flag) { Description = $"The host's CNI bin dir as mounted in the pod; default {AgentOptions.DefaultCniBinDir} [env {Setting.CniBinDir.Env}]" };
        var sourceDir = new Option<string>(SourceDir.Flag) { Description = $"{SourceDir.Description} [env {SourceDir.Env}]" };
        var skip = new Option<bool>(SkipBinaries.Flag) { Description = $"{SkipBinaries.Description} [env {SkipBinaries.Env}=true]" };
        command.Options.Add(binDir);
        command.Options.Add(sourceDir);
        command.Options.Add(skip);
        var parsed = line.Parse(args);
        if (parsed.Errors.Count == 0 && parsed.Action is not null)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output });
            return 0;
        }
        try
        {
            if (parsed.Errors.Count > 0)
            {
                throw new ConfigurationException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
            }
            var target = PathSetting(parsed.GetResult(binDir) is { Implicit: false } ? parsed.GetValue(binDir) : null, Setting.CniBinDir, environment) ?? AgentOptions.DefaultCniBinDir;
            var source = PathSetting(parsed.GetResult(sourceDir) is { Implicit: false } ? parsed.GetValue(sourceDir) : null, SourceDir, environment) ?? DefaultSourceDir;
            var skipping = parsed.GetResult(skip) is { Implicit: false } ? parsed.GetValue(skip) : Bool(environment(SkipBinaries.Env), SkipBinaries.Env);
            if (skipping)
            {
                CniBinaries.Verify(target);
                output.WriteLine($"routednet-node install-cni: --skip-binaries: {string.Join(" and ", CniBinaries.Names)} are in {target}; nothing copied");
                return 0;
            }
            var copied = CniBinaries.Install(source, target);
            output.WriteLine(copied.Count == 0
                ? $"routednet-node install-cni: {target} already holds these binaries; nothing copied"
                : $"routednet-node install-cni: copied {string.Join(" and ", copied)} from {source} to {target}");
            return 0;
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"routednet-node install-cni: invalid configuration: {e.Message}");
            return 2;
        }
        catch (InstallException e)
        {
            error.WriteLine($"routednet-node install-cni: {e.Message}");
            return 1;
        }
    }

    private static string? PathSetting(string? flag, Setting setting, Func<string, string?> environment)
    {
        var (value, origin) = flag is not null ? (flag, setting.Flag) : (environment(setting.Env), $"env {setting.Env}");
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return Path.IsPathFullyQualified(value) ? value : throw new ConfigurationException($"{origin}: '{value}' is not an absolute directory path");
    }

    private static bool Bool(string? text, string variable) => text switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => throw new ConfigurationException($"env {variable}: '{text}' is not true or false"),
    };
}
