using System.Globalization;
using System.Net;

namespace RoutedNet.RrClients;

/// <summary>Command-line settings; each is NAME=VALUE, see Program.Usage.</summary>
internal sealed record FleetOptions
{
    public required IPEndPoint Reflector { get; init; }

    public int Clients { get; init; } = 1000;

    public uint Asn { get; init; } = 64512;

    public ushort HoldTime { get; init; } = 90;

    /// <summary>0: burst (every client at once).</summary>
    public int StaggerBatch { get; init; }

    public TimeSpan StaggerInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public int Changes { get; init; } = 20;

    public TimeSpan ChangeGap { get; init; } = TimeSpan.FromMilliseconds(50);

    public int IdleSeconds { get; init; } = 20;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a connection may wait for the reflector's OPEN before the client starts over.</summary>
    /// <summary>
    /// How long a connection may wait for the reflector's OPEN before the client starts over. Real
    /// speakers wait out a 240 s OpenSent hold time; 10 s keeps a run short while leaving a busy
    /// reflector (GoBGP closes connections that arrive while a peer is still Idle) time to answer.
    /// </summary>
    public TimeSpan OpenWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Null and a message when an argument is wrong.</summary>
    public static FleetOptions? Parse(IEnumerable<string> args, out string? error)
    {
        error = null;
        var values = new Dictionary<string, string>();
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"argument '{arg}' is not NAME=VALUE";
                return null;
            }
            values[arg[..eq]] = arg[(eq + 1)..];
        }
        if (!values.TryGetValue("rr", out var rr) || !IPEndPoint.TryParse(rr, out var reflector) || reflector.Port == 0)
        {
            error = "rr=ADDRESS:PORT is required";
            return null;
        }
        try
        {
            var options = new FleetOptions
            {
                Reflector = reflector,
                Clients = Int(values, "clients", 1000, 2, 16000),
                StaggerBatch = values.GetValueOrDefault("pattern", "burst") switch
                {
                    "burst" => 0,
                    "stagger" => 50,
                    var other => throw new FormatException($"pattern={other}: burst or stagger"),
                },
                Changes = Int(values, "changes", 20, 1, 65536),
                IdleSeconds = Int(values, "idle", 20, 0, 3600),
                HoldTime = (ushort)Int(values, "hold", 90, 3, 65535),
                Timeout = TimeSpan.FromSeconds(Int(values, "timeout", 120, 1, 3600)),
                OpenWait = TimeSpan.FromSeconds(Int(values, "open-wait", 10, 1, 600)),
            };
            var unknown = values.Keys.Except(["rr", "clients", "pattern", "changes", "idle", "hold", "timeout", "open-wait"]).FirstOrDefault();
            if (unknown is not null)
            {
                error = $"unknown setting '{unknown}'";
                return null;
            }
            return options;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static int Int(Dictionary<string, string> values, string name, int fallback, int min, int max)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new FormatException($"{name}={text}: a whole number from {min} to {max}");
        }
        return value;
    }
}
