using System.Globalization;

namespace RoutedNet.KubeApiServer;

/// <summary>
/// The command line: --port PORT --dir DIR [--address IP] [--history-window N] [--bookmark-interval SECONDS] [--plain-http].
/// --address (default 127.0.0.1) is where it listens, what its serving certificate names and what
/// the kubeconfig points at: an address inside a test's network namespace lets node namespaces on
/// that network reach it, as nodes reach a control plane.
/// </summary>
public sealed record ServerOptions(int Port, string Dir, int HistoryWindow, TimeSpan BookmarkInterval, bool PlainHttp, System.Net.IPAddress Address)
{
    public const string Usage =
        "usage: routednet-test-apiserver --port PORT --dir DIR [--address IP] [--history-window EVENTS] [--bookmark-interval SECONDS] [--plain-http]";

    /// <summary>Null with <paramref name="error"/> set when the command line is wrong.</summary>
    public static ServerOptions? Parse(string[] args, out string? error)
    {
        int? port = null;
        string? dir = null;
        var window = 1000;
        var bookmark = TimeSpan.FromSeconds(5);
        var plain = false;
        var address = System.Net.IPAddress.Loopback;
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535:
                    port = p;
                    i++;
                    break;
                case "--dir" when !string.IsNullOrEmpty(value):
                    dir = value;
                    i++;
                    break;
                case "--address" when System.Net.IPAddress.TryParse(value, out var a):
                    address = a;
                    i++;
                    break;
                case "--history-window" when int.TryParse(value, CultureInfo.InvariantCulture, out var w) && w > 0:
                    window = w;
                    i++;
                    break;
                case "--bookmark-interval" when double.TryParse(value, CultureInfo.InvariantCulture, out var s) && s > 0:
                    bookmark = TimeSpan.FromSeconds(s);
                    i++;
                    break;
                case "--plain-http":
                    plain = true;
                    break;
                default:
                    error = $"routednet-test-apiserver: bad argument {args[i]}{(value is null ? "" : " " + value)}\n{Usage}";
                    return null;
            }
        }
        if (port is null || dir is null)
        {
            error = "routednet-test-apiserver: --port and --dir are required\n" + Usage;
            return null;
        }
        return new ServerOptions(port.Value, dir, window, bookmark, plain, address);
    }
}
