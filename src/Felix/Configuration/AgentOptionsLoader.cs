using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace RoutedNet.Felix.Configuration;

/// <summary>
/// Builds <see cref="AgentOptions"/> from flags, environment and an optional YAML file
/// (<see cref="Setting"/> has the precedence). Every problem is a <see cref="ConfigurationException"/>
/// naming the flag, variable or file it came from: a bad config must stop the agent at start,
/// never half-run it (STYLE.md §3 failure policy).
/// </summary>
public static partial class AgentOptionsLoader
{
    /// <summary>
    /// Returns null when the caller asked for --help or --version (already printed to <paramref name="output"/>).
    /// A subcommand that takes the agent's settings (cleanup) passes its name and description for --help.
    /// </summary>
    public static AgentOptions? Load(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output, (string Name, string Description)? subcommand = null)
    {
        var line = subcommand is { } named ? new SubcommandLine(named.Name, named.Description) : null;
        Command command = line?.Command ?? new RootCommand("routednet-node: the RoutedNet node agent (routes, blackholes, sysctls, BGP, local API).");
        var options = new Dictionary<Setting, Option<string>>();
        foreach (var setting in Setting.All)
        {
            var option = new Option<string>(setting.Flag) { Description = $"{setting.Description} [env {setting.Env}]" };
            options[setting] = option;
            command.Options.Add(option);
        }
        var parsed = line?.Parse(args) ?? command.Parse(args.ToArray());
        if (parsed.Errors.Count == 0 && parsed.Action is not null)
        {
            // --help or --version: the root command has no action of its own.
            parsed.Invoke(new InvocationConfiguration { Output = output });
            return null;
        }
        if (parsed.Errors.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
        }

        var flags = options
            .Where(kv => parsed.GetResult(kv.Value) is not null)
            .ToDictionary(kv => kv.Key, kv => parsed.GetValue(kv.Value) ?? "");
        var source = new SettingSource(flags, environment);
        var configFile = source.Find(Setting.ConfigFile);
        if (configFile is not null)
        {
            source.File = YamlConfigFile.Read(configFile.Value.Value);
            source.FilePath = configFile.Value.Value;
        }
        return Build(source);
    }

    private static AgentOptions Build(SettingSource source)
    {
        var nodeName = source.Find(Setting.NodeName)
            ?? throw new ConfigurationException($"the node name is required: pass {Setting.NodeName.Flag} NAME or set {Setting.NodeName.Env}");
        var defaults = new AgentOptions { NodeName = "" };
        var options = new AgentOptions
        {
            NodeName = ParseNodeName(nodeName),
            Datastore = Map(source, Setting.Datastore, ParseDatastore) ?? defaults.Datastore,
            Etcd = new RoutedNet.Datastore.EtcdSecurity
            {
                CaCertFile = source.Find(Setting.EtcdCaCertFile)?.Value,
                CertFile = source.Find(Setting.EtcdCertFile)?.Value,
                KeyFile = source.Find(Setting.EtcdKeyFile)?.Value,
                Username = source.Find(Setting.EtcdUsername)?.Value,
                Password = source.Find(Setting.EtcdPassword)?.Value,
            },
            // From $KUBECONFIG it is left to the connection layer, which reads that variable itself
            // (as kubectl does, it may list several files).
            Kubeconfig = source.Find(Setting.Kubeconfig) is { } kubeconfig && !kubeconfig.Origin.StartsWith("env ", StringComparison.Ordinal) ? kubeconfig.Value : null,
            NodeIp = Map(source, Setting.NodeIp, ParseAddress),
            NodeIpInterface = Map(source, Setting.NodeIpInterface, ParseRegex),
            NodeIpAutodetection = MapValue(source, Setting.NodeIpAutodetection, ParseNodeIpAutodetection) ?? defaults.NodeIpAutodetection,
            ApiSocket = Map(source, Setting.ApiSocket, ParseSocketPath) ?? defaults.ApiSocket,
            HealthPort = MapValue(source, Setting.HealthPort, ParsePort) ?? defaults.HealthPort,
            HealthHost = Map(source, Setting.HealthHost, ParseAddress) ?? defaults.HealthHost,
            MetricsPort = MapValue(source, Setting.MetricsPort, ParsePort) ?? defaults.MetricsPort,
            MetricsHost = Map(source, Setting.MetricsHost, ParseAddress) ?? defaults.MetricsHost,
            ResyncInterval = MapValue(source, Setting.ResyncInterval, ParseDuration) ?? defaults.ResyncInterval,
            RouteGracePeriod = MapValue(source, Setting.RouteGracePeriod, ParseDuration) ?? defaults.RouteGracePeriod,
            BgpRestartDeferral = MapValue(source, Setting.BgpRestartDeferral, ParseDuration) ?? defaults.BgpRestartDeferral,
            BgpBackend = MapValue(source, Setting.BgpBackend, ParseBgpBackend) ?? defaults.BgpBackend,
            GoBgpApi = Map(source, Setting.GoBgpApi, ParseHostPort) ?? defaults.GoBgpApi,
            CniDataDir = Map(source, Setting.CniDataDir, ParseDirectory) ?? defaults.CniDataDir,
            CniConfDir = Map(source, Setting.CniConfDir, ParseDirectory),
            CniConfName = Map(source, Setting.CniConfName, ParseFileName) ?? defaults.CniConfName,
            CniNetworkName = Map(source, Setting.CniNetworkName, ParseNetworkName) ?? defaults.CniNetworkName,
            CniMtu = MapValue(source, Setting.CniMtu, ParseMtu) ?? defaults.CniMtu,
            CniBinDir = Map(source, Setting.CniBinDir, ParseDirectory) ?? defaults.CniBinDir,
            PodNamespace = Map(source, Setting.PodNamespace, ParseDnsLabel),
            DaemonSetName = Map(source, Setting.DaemonSetName, ParseDnsSubdomain) ?? defaults.DaemonSetName,
            PolicyResyncInterval = MapValue(source, Setting.PolicyResyncInterval, ParseDuration) ?? defaults.PolicyResyncInterval,
            PolicyRevokeEstablished = MapValue(source, Setting.PolicyRevokeEstablished, ParseRevokeEstablished) ?? defaults.PolicyRevokeEstablished,
            LogLevel = MapValue(source, Setting.LogLevel, ParseLogLevel) ?? defaults.LogLevel,
        };
        try
        {
            options.Etcd.Validate(RoutedNet.Datastore.DatastoreUrl.Parse(options.Datastore));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(e.Message, e);
        }
        if (options.IsKubernetes && source.Find(Setting.NodeIpAutodetection) is null)
        {
            // kubelet has registered the node's address already: the agent takes the same one.
            options = options with { NodeIpAutodetection = NodeIpAutodetection.KubernetesInternalIp };
        }
        if (!options.IsKubernetes && options.NodeIpAutodetection == NodeIpAutodetection.KubernetesInternalIp)
        {
            throw new ConfigurationException($"{source.Find(Setting.NodeIpAutodetection)!.Value.Origin}: kubernetes-internal-ip needs {Setting.Datastore.Flag} kubernetes (the core Node holds the InternalIP)");
        }
        // One port serves both only at one address: binding it twice would fail at start, later.
        if (options.HealthPort != 0 && options.HealthPort == options.MetricsPort && !options.HealthHost.Equals(options.MetricsHost))
        {
            throw new ConfigurationException(
                $"{Setting.MetricsPort.Flag} {options.MetricsPort} is also {Setting.HealthPort.Flag}, but {Setting.MetricsHost.Flag} {options.MetricsHost} differs from {Setting.HealthHost.Flag} {options.HealthHost}: give them different ports or the same address");
        }
        return options;
    }

    private static T? MapValue<T>(SettingSource source, Setting setting, Func<string, T> parse)
        where T : struct =>
        source.Find(setting) is { } found ? Parse(found, parse) : null;

    private static T? Map<T>(SettingSource source, Setting setting, Func<string, T> parse)
        where T : class =>
        source.Find(setting) is { } found ? Parse(found, parse) : null;

    private static T Parse<T>(SettingValue found, Func<string, T> parse)
    {
        try
        {
            return parse(found.Value);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{found.Origin}: '{found.Value}' {e.Message}", e);
        }
    }

    private static string ParseNodeName(SettingValue value)
    {
        // Node names become resource names and BGP descriptions: DNS-1123 subdomain rules (as Kubernetes).
        if (value.Value.Length is 0 or > 253 || !NodeNamePattern().IsMatch(value.Value))
        {
            throw new ConfigurationException(
                $"{value.Origin}: '{value.Value}' is not a valid node name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
        }
        return value.Value;
    }

    private static string ParseDatastore(string url)
    {
        try
        {
            return RoutedNet.Datastore.DatastoreUrl.Parse(url).Text;
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"is not a datastore URL: {e.Message}");
        }
    }

    private static bool ParseRevokeEstablished(string text) => text switch
    {
        "Always" => true,
        "Never" => false,
        _ => throw new FormatException("is not Always or Never"),
    };

    private static BgpBackendKind ParseBgpBackend(string text) => text switch
    {
        "builtin" => BgpBackendKind.BuiltIn,
        "gobgp" => BgpBackendKind.GoBgp,
        _ => throw new FormatException("is not a BGP backend (builtin or gobgp)"),
    };

    private static NodeIpAutodetection ParseNodeIpAutodetection(string text) => text switch
    {
        "default-route" => NodeIpAutodetection.DefaultRoute,
        "kubernetes-internal-ip" => NodeIpAutodetection.KubernetesInternalIp,
        _ => throw new FormatException("is not a node address autodetection method (default-route or kubernetes-internal-ip)"),
    };

    private static string ParseHostPort(string text) =>
        Uri.TryCreate($"http://{text}", UriKind.Absolute, out var uri) && uri.Port is > 0 and <= 65535 && text.EndsWith($":{uri.Port}", StringComparison.Ordinal)
            ? text
            : throw new FormatException("is not HOST:PORT");

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var address) ? address : throw new FormatException("is not an IP address");

    private static Regex ParseRegex(string text)
    {
        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"is not a valid regular expression: {e.Message}");
        }
    }

    private static string ParseSocketPath(string text)
    {
        // sun_path holds 108 bytes including the terminating NUL.
        if (!text.StartsWith('/') || System.Text.Encoding.UTF8.GetByteCount(text) > 107)
        {
            throw new FormatException("is not an absolute Unix socket path of at most 107 bytes");
        }
        return text;
    }

    private static string ParseDirectory(string text) =>
        Path.IsPathFullyQualified(text) ? text : throw new FormatException("is not an absolute directory path");

    // A conflist name the runtime loads: a plain file name ending in .conflist (libcni reads *.conf,
    // *.conflist and *.json, but a .conf holds one plugin, not a list).
    private static string ParseFileName(string text) =>
        text.Length > 0 && text.IndexOfAny(['/', '\0']) < 0 && text is not ("." or "..") && text.EndsWith(".conflist", StringComparison.Ordinal)
            ? text
            : throw new FormatException("is not a file name ending in .conflist");

    // The plugin's own rule for "name" (NetworkConfig): it becomes part of handle ids and record paths.
    private static string ParseNetworkName(string text) =>
        NetworkNamePattern().IsMatch(text) ? text : throw new FormatException("is not a CNI network name (a letter or digit, then letters, digits, '_', '.' and '-')");

    private static int ParseMtu(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) && (mtu == 0 || mtu is >= 68 and <= 65535)
            ? mtu
            : throw new FormatException("is not an MTU (68-65535, or 0 for the kernel's default)");

    private static string ParseDnsLabel(string text) =>
        text.Length <= 63 && DnsLabelPattern().IsMatch(text) ? text : throw new FormatException("is not a namespace name (a DNS-1123 label)");

    private static string ParseDnsSubdomain(string text) =>
        text.Length <= 253 && NodeNamePattern().IsMatch(text) ? text : throw new FormatException("is not an object name (a DNS-1123 subdomain)");

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new FormatException("is not a port number (0-65535)");

    internal static TimeSpan ParseDuration(string text)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException("is not a duration (e.g. 500ms, 30s, 2m, 1h; a bare number is seconds)");
        }
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var duration = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        return duration > TimeSpan.Zero ? duration : throw new FormatException("must be longer than zero");
    }

    private static LogLevel ParseLogLevel(string text) =>
        Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level)
            ? level
            : throw new FormatException("is not a log level (trace, debug, information, warning, error, critical, none)");

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NodeNamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NetworkNamePattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabelPattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
