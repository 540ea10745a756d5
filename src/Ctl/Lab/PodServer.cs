using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// A pod's servers, as a conformance pod runs them (agnhost serve-hostname / porter upstream): one
/// `routednetctl lab serve` process in the pod's network namespace echoing on each of the pod's
/// TCP and UDP ports and watching a raw socket for SCTP INITs to its SCTP ports. Started by
/// `add-pod`, known by pid (its command line names its control socket, which is unique to the lab
/// and the pod), stopped by `del-pod` and `down`. The control socket is a path in the lab
/// directory, so the prober reaches it from any namespace.
/// </summary>
internal static class PodServer
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    public static string ControlSocket(LabDirectory directory, LabPod pod) => directory.Combine("pods", $"{pod.Name}.sock");

    public static string Log(LabDirectory directory, LabPod pod) => directory.Combine("pods", $"{pod.Name}.log");

    /// <summary>Starts the server of <paramref name="pod"/>'s ports and waits until it answers on its control socket.</summary>
    public static void Start(LabDirectory directory, LabState state, LabPod pod)
    {
        var control = ControlSocket(directory, pod);
        Directory.CreateDirectory(Path.GetDirectoryName(control)!);
        File.Delete(control);
        string[] ports = [.. pod.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Port}/{p.Protocol}")).Distinct(StringComparer.Ordinal)];
        pod.ServerPid = LabProcess.StartDetached(pod.Namespace, Log(directory, pod), Environment.ProcessPath ?? "routednetctl",
            ["lab", "serve", "--control", control, .. ports.SelectMany(p => (string[])["--listen", p])]);
        directory.Save(state);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (TryAsk(control, "ping", out var answer) && answer == "ready")
            {
                return;
            }
            if (!LabProcess.IsRunning(pod.ServerPid, control) || clock.Elapsed > StartTimeout)
            {
                throw new CtlException(CtlExitCode.Problem, $"the server of pod {pod.Name} did not start (log {Log(directory, pod)}: {Tail(Log(directory, pod))})");
            }
            Thread.Sleep(20);
        }
    }

    public static void Stop(LabDirectory directory, LabPod pod)
    {
        if (pod.ServerPid != 0)
        {
            LabProcess.Stop(pod.ServerPid, ControlSocket(directory, pod), TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Whether the pod's server saw the SCTP INIT (source, ports, tag) within <paramref name="timeout"/>.</summary>
    public static bool SawSctpInit(LabDirectory directory, LabPod pod, string source, int sourcePort, int port, uint tag, TimeSpan timeout) =>
        TryAsk(ControlSocket(directory, pod), string.Create(CultureInfo.InvariantCulture, $"sctp {source} {sourcePort} {port} {tag} {(int)timeout.TotalMilliseconds}"), out var answer, timeout + TimeSpan.FromSeconds(2))
        && answer == "seen";

    /// <summary>How many datagrams, connections and INITs the server received from each source address.</summary>
    public static Dictionary<string, int> Received(LabDirectory directory, LabPod pod)
    {
        if (!TryAsk(ControlSocket(directory, pod), "received", out var answer))
        {
            throw new CtlException(CtlExitCode.Problem, $"the server of pod {pod.Name} does not answer on {ControlSocket(directory, pod)}");
        }
        return answer.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('=')).ToDictionary(e => e[0], e => int.Parse(e[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private static bool TryAsk(string control, string request, out string answer, TimeSpan? timeout = null)
    {
        answer = "";
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ReceiveTimeout = (int)(timeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
            socket.Connect(new UnixDomainSocketEndPoint(control));
            socket.Send(Encoding.ASCII.GetBytes(request + "\n"));
            var buffer = new byte[65536];
            var read = 0;
            while (read < buffer.Length && (read == 0 || buffer[read - 1] != '\n'))
            {
                var n = socket.Receive(buffer.AsSpan(read));
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            answer = Encoding.ASCII.GetString(buffer, 0, read).Trim();
            return read > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Tail(string log) =>
        File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(3)) : "no log";

    /// <summary>"NAME=PORT/PROTO" (protocol TCP when left out, any case) as `add-pod --port` takes it.</summary>
    public static EndpointPort ParsePort(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? "" : text[..equals];
        var rest = equals < 0 ? text : text[(equals + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var protocol = slash < 0 ? "TCP" : rest[(slash + 1)..].ToUpperInvariant();
        var number = slash < 0 ? rest : rest[..slash];
        if (name.Length is 0 or > 15 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            || protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            throw new CtlException($"--port \"{text}\" must be NAME=PORT/PROTO: NAME a port name (at most 15 of a-z, 0-9, '-'), PORT 1..65535, PROTO tcp, udp or sctp");
        }
        return new EndpointPort { Name = name, Protocol = protocol, Port = port };
    }
}
