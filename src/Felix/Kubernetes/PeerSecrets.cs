using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Felix.Hosting;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Felix.Kubernetes;

/// <summary>
/// Reads the TCP-MD5 keys of the BGPPeers that name a Secret (<c>spec.passwordSecretRef</c>) from
/// the API server: GET of each named Secret in the agent's namespace, and nothing else (the chart's
/// Role grants get on exactly those names; a list or watch of Secrets would need more). It reads
/// again at once when the set of names changes, and every interval after that, so a rotated key
/// reaches the speaker within one interval, as a Secret volume does. A Secret that cannot be read
/// (gone, forbidden, API away) keeps the key last read in force and is reported in the log; a
/// peer whose key was never read is left out until it is (DesiredStateCalculator says why).
/// The values never reach a log line or an error.
/// </summary>
public sealed partial class PeerSecrets(KubeApi api, string ns, TimeSpan interval, TimeProvider time, ILogger logger)
{
    public static readonly KubeResource Secrets = new("", "v1", "secrets", "Secret");

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, string> _reported = new(StringComparer.Ordinal);
    private volatile IReadOnlySet<string> _wanted = new HashSet<string>(StringComparer.Ordinal);

    public string Namespace => ns;

    /// <summary>The Secrets the peers name now (called by the syncer's loop after each change); a new set is read at once.</summary>
    public void Want(IEnumerable<SecretKeyReference> references)
    {
        var names = references.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.SetEquals(_wanted))
        {
            _wanted = names;
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Runs until cancelled; <paramref name="resolved"/> gets every key of every wanted Secret whenever one changed.</summary>
    public async Task RunAsync(Action<IReadOnlyDictionary<SecretKeyReference, string>> resolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var known = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var wanted = _wanted;
            var changed = false;
            foreach (var name in known.Keys.Where(n => !wanted.Contains(n)).ToList())
            {
                known.Remove(name);
                _reported.Remove(name);
                changed = true;
            }
            foreach (var name in wanted.Order(StringComparer.Ordinal))
            {
                var data = await ReadAsync(name, cancellationToken).ConfigureAwait(false);
                if (data is not null && (!known.TryGetValue(name, out var before) || !Same(before, data)))
                {
                    known[name] = data;
                    changed = true;
                    LogRead(ns, name, data.Count);
                }
            }
            if (changed)
            {
                resolved(known.SelectMany(s => s.Value.Select(k => KeyValuePair.Create(new SecretKeyReference { Name = s.Key, Key = k.Key }, k.Value)))
                    .ToDictionary(kv => kv.Key, kv => kv.Value));
            }
            await WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyDictionary<string, string>?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            if (await api.GetAsync(Secrets, name, cancellationToken, ns).ConfigureAwait(false) is not { } secret)
            {
                Report(name, $"Secret {ns}/{name} not found");
                return null;
            }
            _reported.Remove(name);
            return Decode(secret);
        }
        catch (DatastoreException e)
        {
            Report(name, e.Message);
            return null;
        }
        catch (FormatException)
        {
            Report(name, $"Secret {ns}/{name}: a value in its data is not base64");
            return null;
        }
    }

    // A Secret's data is base64 of the bytes; the key is those bytes as UTF-8, exactly (a file
    // given to `kubectl create secret --from-file` keeps its trailing newline, which is part of the key).
    private static Dictionary<string, string> Decode(JsonElement secret)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (secret.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in data.EnumerateObject())
            {
                values[entry.Name] = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Value.GetString() ?? ""));
            }
        }
        return values;
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var value) && value == kv.Value);

    // Once per Secret and reason, not every interval.
    private void Report(string name, string error)
    {
        if (!_reported.TryGetValue(name, out var before) || before != error)
        {
            _reported[name] = error;
            LogFailed(error);
        }
    }

    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, either.Token);
        var wake = _wake.Reader.ReadAsync(either.Token).AsTask();
        await Task.WhenAny(delay, wake).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(delay, wake).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(EventId = EventIds.PeerSecretFailed, Level = LogLevel.Warning, Message = "BGP peer password: {Error}; the key last read stays in force, retrying")]
    private partial void LogFailed(string error);

    [LoggerMessage(EventId = EventIds.PeerSecretRead, Level = LogLevel.Information, Message = "BGP peer password: read Secret {Namespace}/{Name} ({Keys} keys)")]
    private partial void LogRead(string @namespace, string name, int keys);
}
