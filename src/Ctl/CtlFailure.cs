using System.Text.Json;
using Grpc.Core;
using RoutedNet.Datastore;
using RoutedNet.Ipam;
using RoutedNet.Netlink;

namespace RoutedNet.Ctl;

/// <summary>
/// The one place that turns a failure into what the operator sees: one "error: …" line on stderr
/// (no stack trace) and an exit code from <see cref="CtlExitCode"/>. Every command runs its action
/// through <see cref="RunAsync"/>, so a new command gets the same codes without its own catch.
/// </summary>
internal static class CtlFailure
{
    /// <summary>The text `--help` and the README show.</summary>
    public const string ExitCodesHelp =
        "Exit codes: 0 fine; 1 the command found a problem (e.g. route drift, leaked addresses) or was refused; " +
        "2 usage or configuration error; 3 datastore or node agent unreachable.";

    /// <summary>Runs <paramref name="action"/>; a failure becomes one line on <paramref name="error"/> (stderr by default) and its exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action, TextWriter? error = null)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await (error ?? Console.Error).WriteLineAsync($"error: {Describe(e)}").ConfigureAwait(false);
            return (int)ExitCodeOf(e);
        }
    }

    public static CtlExitCode ExitCodeOf(Exception e) => e switch
    {
        CtlException c => c.ExitCode,
        DatastoreUnavailableException => CtlExitCode.Unreachable,
        ResourceValidationException => CtlExitCode.Usage,
        DatastoreException => CtlExitCode.Problem,
        IpamException { Code: IpamErrorCode.InvalidRequest } => CtlExitCode.Usage,
        IpamException => CtlExitCode.Problem,
        RpcException r when NeverReached(r) => CtlExitCode.Unreachable,
        RpcException r => ExitCodeOf(r.StatusCode),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => CtlExitCode.Usage,
        FormatException or JsonException or ArgumentException => CtlExitCode.Usage,
        _ => CtlExitCode.Problem,
    };

    /// <summary>A gRPC status from the node agent: could we talk to it at all, did it refuse the request, or did it fail.</summary>
    public static CtlExitCode ExitCodeOf(StatusCode status) => status switch
    {
        StatusCode.Unavailable or StatusCode.DeadlineExceeded => CtlExitCode.Unreachable,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => CtlExitCode.Usage,
        _ => CtlExitCode.Problem,
    };

    // No socket, no permission, nobody listening: the call never reached the agent.
    private static bool NeverReached(RpcException e)
    {
        for (Exception? inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>One line: a daemon's or library's message may span lines.</summary>
    public static string Describe(Exception e)
    {
        var message = e switch
        {
            DatastoreUnavailableException => $"cannot reach the datastore: {e.Message}",
            CtlException or DatastoreException or IpamException or IOException or UnauthorizedAccessException or FormatException or NetlinkException => e.Message,
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return message.ReplaceLineEndings(" ").Trim();
    }
}
