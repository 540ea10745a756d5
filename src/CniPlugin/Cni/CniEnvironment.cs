using RoutedNet.Netlink;

namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// The CNI_* variables of one invocation, checked for the command (spec "Parameters"): ADD and
/// CHECK need a netns; DEL may come without one (containerd's second DEL after RemovePodSandbox);
/// VERSION needs nothing (libcni probes it with dummy values); STATUS and GC have no attachment.
/// </summary>
internal sealed record CniEnvironment
{
    public required CniCommand Command { get; init; }

    public string ContainerId { get; init; } = "";

    /// <summary>Empty when the runtime sent none (DEL after the sandbox is gone).</summary>
    public string Netns { get; init; } = "";

    public string IfName { get; init; } = "";

    public CniArgs Args { get; init; } = CniArgs.Empty;

    /// <summary>Directories to find delegated plugins (IPAM) in, in order.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    public static CniEnvironment Read(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var command = ParseCommand(getVariable("CNI_COMMAND"));
        if (command == CniCommand.Version)
        {
            return new CniEnvironment { Command = command };
        }
        var needsAttachment = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        var env = new CniEnvironment
        {
            Command = command,
            ContainerId = Required(getVariable, "CNI_CONTAINERID", needsAttachment),
            Netns = Required(getVariable, "CNI_NETNS", command is CniCommand.Add or CniCommand.Check),
            IfName = Required(getVariable, "CNI_IFNAME", needsAttachment),
            Args = CniArgs.Parse(getVariable("CNI_ARGS")),
            Path = Required(getVariable, "CNI_PATH", required: true)
                .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        if (needsAttachment && !LinkNames.IsValid(env.IfName))
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_IFNAME '{env.IfName}' is not a valid interface name (1..{LinkNames.MaxLength} bytes, no '/', ':' or whitespace)");
        }
        return env;
    }

    private static CniCommand ParseCommand(string? value) => value switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "VERSION" => CniCommand.Version,
        "STATUS" => CniCommand.Status,
        "GC" => CniCommand.Gc,
        null or "" => throw new CniException(CniErrorCode.InvalidEnvironment, "CNI_COMMAND is not set"),
        _ => throw new CniException(CniErrorCode.InvalidEnvironment, $"unknown CNI_COMMAND: {value}"),
    };

    private static string Required(Func<string, string?> getVariable, string name, bool required)
    {
        var value = getVariable(name) ?? "";
        if (required && value.Length == 0)
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"{name} is not set");
        }
        return value;
    }
}
