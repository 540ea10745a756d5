using System.CommandLine;
using System.Globalization;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// `node drain NODE [--wait DURATION]` and its undo `node uncordon NODE` (kubectl's pair): they write
/// and remove the Node's spec.drain in the datastore, by compare-and-swap, and the node's agent
/// carries it out: GRACEFUL_SHUTDOWN (65535:0) on every route for the wait, then withdraw and close.
/// In the datastore rather than asked of the agent, so that it reaches a node from anywhere and a
/// restarted agent of a drained node stays out. Draining a node that already drains changes nothing.
/// </summary>
internal static class NodeDrainCommands
{
    private const int Attempts = 5;

    /// <summary>Sets NODE's spec.drain (since now, for <paramref name="waitSeconds"/>); returns the line to print.</summary>
    public static async Task<string> DrainAsync(IStore store, string name, int waitSeconds, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await GetAsync(store, name, cancellationToken).ConfigureAwait(false);
            if (node.Spec.Drain is { } already)
            {
                return $"node {name} is already draining since {Time(already.Since)} (withdraw at {Time(already.WithdrawAt)}); nothing changed\n";
            }
            var drain = new NodeDrain { Since = time.GetUtcNow(), GracefulShutdownSeconds = waitSeconds };
            try
            {
                await store.UpdateAsync(node with { Spec = node.Spec with { Drain = drain } }, cancellationToken).ConfigureAwait(false);
                return waitSeconds == 0
                    ? $"node {name} drained: its agent withdraws every route and closes its BGP sessions now, until `routednetctl node uncordon {name}`\n"
                    : $"node {name} draining: its routes carry GRACEFUL_SHUTDOWN (65535:0) until {Time(drain.WithdrawAt)}, then are withdrawn and its BGP sessions closed, until `routednetctl node uncordon {name}`\n";
            }
            catch (RevisionConflictException) when (attempt < Attempts)
            {
                // The agent (keeping its Node) or an operator wrote it between our read and write: read it again.
            }
        }
    }

    /// <summary>Removes NODE's spec.drain: its agent announces its routes again without the community.</summary>
    public static async Task<string> UncordonAsync(IStore store, string name, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await GetAsync(store, name, cancellationToken).ConfigureAwait(false);
            if (node.Spec.Drain is null)
            {
                return $"node {name} is not drained; nothing changed\n";
            }
            try
            {
                await store.UpdateAsync(node with { Spec = node.Spec with { Drain = null } }, cancellationToken).ConfigureAwait(false);
                return $"node {name} back in service: its agent opens its BGP sessions and announces its routes again\n";
            }
            catch (RevisionConflictException) when (attempt < Attempts)
            {
                // Written between our read and write: read it again.
            }
        }
    }

    /// <summary>"30", "30s", "2m" as whole seconds; anything else is a usage error.</summary>
    public static int ParseWait(string text)
    {
        var (digits, factor) = text.EndsWith('m') ? (text[..^1], 60) : text.EndsWith('s') ? (text[..^1], 1) : (text, 1);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > NodeDrain.MaxGracefulShutdownSeconds / factor)
        {
            throw new CtlException(CtlExitCode.Usage, $"--wait \"{text}\" must be seconds (30, 30s) or minutes (2m), at most {NodeDrain.MaxGracefulShutdownSeconds / 60}m");
        }
        return value * factor;
    }

    public static Option<string> WaitOption() => new("--wait")
    {
        Description = $"How long every route is announced with GRACEFUL_SHUTDOWN (65535:0) before it is withdrawn: 30, 30s, 2m; 0 withdraws at once (default {NodeDrain.DefaultGracefulShutdownSeconds}s)",
        DefaultValueFactory = _ => $"{NodeDrain.DefaultGracefulShutdownSeconds}s",
    };

    private static async Task<Node> GetAsync(IStore store, string name, CancellationToken cancellationToken) =>
        await store.TryGetAsync<Node>(name, cancellationToken).ConfigureAwait(false)
            ?? throw new CtlException(CtlExitCode.Problem, $"node \"{name}\" not found");

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
