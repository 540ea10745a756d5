using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grpc.Core;
using RoutedNet.Common;
using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Etcd.Proto;

namespace RoutedNet.Datastore.Etcd;

internal sealed partial class EtcdBackend
{
    // Events buffered between the gRPC stream and a slow consumer; beyond it the stream waits.
    private const int WatchBuffer = 1024;

    private static readonly TimeSpan WatchGiveUpAfter = TimeSpan.FromSeconds(15);

    public async IAsyncEnumerable<StoredEvent> WatchAsync(
        string kind, long? afterRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateBounded<StoredEvent>(new BoundedChannelOptions(WatchBuffer) { SingleReader = true, SingleWriter = true });
        var pump = PumpAsync(kind, afterRevision, events.Writer, stop.Token);
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return e;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Keeps one etcd watch stream open, re-creating it on another member from the last delivered
    /// revision when its member goes away, so the consumer sees one gap-free stream. Ends the
    /// channel with RevisionCompacted (history gone) or Unavailable (every member failed in a row).
    /// </summary>
    private async Task PumpAsync(string kind, long? afterRevision, ChannelWriter<StoredEvent> writer, CancellationToken cancellationToken)
    {
        // Survives a failed stream: the next one starts after the last event delivered.
        var last = new StrongBox<long?>(afterRevision);
        // 100 ms doubling to 1 s: a member restart or leader change is over in seconds.
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        var failingSince = _time.GetTimestamp();
        Exception? error = null;
        try
        {
            while (true)
            {
                var (channel, index) = _endpoints.Current;
                Metadata? headers = null;
                try
                {
                    headers = await _endpoints.HeadersAsync(channel, DateTime.UtcNow + EtcdEndpoints.CallTimeout, cancellationToken).ConfigureAwait(false);
                    await StreamAsync(kind, last, channel, headers, writer, backoff.Reset, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested
                    && (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown || _endpoints.ForgetStaleToken(e, headers)))
                {
                    _endpoints.Failed(index);
                    if (backoff.Failures == 0)
                    {
                        failingSince = _time.GetTimestamp();
                    }
                    // A member restart or leader change takes seconds: keep trying every member
                    // for a while before telling the consumer (who would relist anyway).
                    if (_time.GetElapsedTime(failingSince) > WatchGiveUpAfter)
                    {
                        throw new DatastoreUnavailableException($"etcd: watch on {kind} found no member for {WatchGiveUpAfter.TotalSeconds:0} s; last {_endpoints.Describe(index)}: {e.Status.Detail}", e);
                    }
                    await backoff.DelayAsync(_time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // the consumer stopped watching
        }
#pragma warning disable CA1031 // every other failure is handed to the consumer through the channel
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }
        finally
        {
            writer.TryComplete(error);
        }
    }

    /// <summary>One watch stream until its member ends it; <paramref name="last"/> follows every delivered event.</summary>
    private static async Task StreamAsync(
        string kind, StrongBox<long?> last, Grpc.Net.Client.GrpcChannel channel, Metadata? headers, ChannelWriter<StoredEvent> writer, Action progressed, CancellationToken cancellationToken)
    {
        using var call = new Proto.Watch.WatchClient(channel).Watch(headers, cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(
            new WatchRequest
            {
                CreateRequest = new WatchCreateRequest
                {
                    Key = EtcdKeys.Prefix(kind),
                    RangeEnd = EtcdKeys.PrefixEnd(kind),
                    StartRevision = last.Value + 1 ?? 0, // 0: from now
                    PrevKv = true,
                },
            },
            cancellationToken).ConfigureAwait(false);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            progressed();
            if (response.CompactRevision != 0)
            {
                throw new RevisionCompactedException(
                    $"etcd: history before revision {response.CompactRevision} is compacted; cannot watch {kind} from {last.Value}");
            }
            if (response.Canceled)
            {
                throw new DatastoreUnavailableException($"etcd cancelled the watch on {kind}: {response.CancelReason}");
            }
            if (response.Created)
            {
                last.Value ??= response.Header.Revision;
                continue;
            }
            foreach (var e in response.Events)
            {
                await writer.WriteAsync(ToStoredEvent(kind, e), cancellationToken).ConfigureAwait(false);
                last.Value = e.Kv.ModRevision;
            }
        }
    }

    private static StoredEvent ToStoredEvent(string kind, Event e)
    {
        var name = EtcdKeys.NameOf(kind, e.Kv.Key);
        if (e.Type == Event.Types.EventType.Delete)
        {
            // prev_kv holds the deleted value; it is missing only if that revision was compacted.
            var value = e.PrevKv?.Value.ToByteArray() ?? MinimalObject(name);
            return new StoredEvent(WatchEventType.Deleted, new StoredEntry(kind, name, value, e.Kv.ModRevision));
        }
        var type = e.Kv.CreateRevision == e.Kv.ModRevision ? WatchEventType.Added : WatchEventType.Modified;
        return new StoredEvent(type, new StoredEntry(kind, name, e.Kv.Value.ToByteArray(), e.Kv.ModRevision));
    }

    private static byte[] MinimalObject(string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteString("name", name);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
