using Grpc.Core;
using Grpc.Net.Client;

namespace RoutedNet.Datastore.Etcd;

/// <summary>
/// One gRPC channel per etcd member and the member currently in use. A call that cannot reach
/// its member moves on to the next one; only when every member failed in a row is the store
/// unavailable. Only connection failures (gRPC Unavailable: nothing was sent) are retried
/// elsewhere: a CAS whose answer was lost must not be replayed blindly.
/// </summary>
internal sealed class EtcdEndpoints : IDisposable
{
    // A dead member must not stall a CNI call for long: fail over quickly.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    // Opened on first use: a CNI call lives for one or two requests to one member, and building
    // a channel (HTTP handler, its settings) for members it never calls is start-up work.
    private readonly Lazy<GrpcChannel>[] _channels;
    private readonly IReadOnlyList<Uri> _uris;
    private int _current;

    public EtcdEndpoints(IReadOnlyList<Uri> uris)
    {
        _uris = uris;
        _channels = uris.Select(uri => new Lazy<GrpcChannel>(() => Open(uri))).ToArray();
    }

    /// <summary>Per-call deadline for unary calls; a member that accepts but never answers is unavailable.</summary>
    public static TimeSpan CallTimeout { get; } = TimeSpan.FromSeconds(15);

    public int Count => _channels.Length;

    /// <summary>The member to use now, and its index for <see cref="Failed"/>.</summary>
    public (GrpcChannel Channel, int Index) Current
    {
        get
        {
            var index = Volatile.Read(ref _current);
            return (_channels[index].Value, index);
        }
    }

    public string Describe(int index) => _uris[index].Authority;

    /// <summary>Moves off member <paramref name="index"/> unless another caller already did.</summary>
    public void Failed(int index) => Interlocked.CompareExchange(ref _current, (index + 1) % _channels.Length, index);

    /// <summary>Runs a unary call, failing over across members on connection failures.</summary>
    public async Task<T> CallAsync<T>(Func<GrpcChannel, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        for (var attempt = 0; attempt < _channels.Length; attempt++)
        {
            var (channel, index) = Current;
            try
            {
                var options = new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
                return await call(channel, options).ConfigureAwait(false);
            }
            catch (RpcException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(e.Message, e, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                errors.Add($"{Describe(index)}: {e.Status.Detail}");
                Failed(index);
            }
            catch (RpcException e)
            {
                throw new DatastoreUnavailableException($"etcd {Describe(index)}: {e.StatusCode}: {e.Status.Detail}", e);
            }
        }
        throw new DatastoreUnavailableException($"etcd: no member reachable ({string.Join("; ", errors)})");
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            if (channel.IsValueCreated)
            {
                channel.Value.Dispose();
            }
        }
    }

    private static GrpcChannel Open(Uri uri) => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
    {
        // A list of every WorkloadEndpoint or IPAMBlock of a big cluster passes gRPC's 4 MiB default.
        MaxReceiveMessageSize = 256 * 1024 * 1024,
        HttpHandler = new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            // Notice a silently dead member on long watches.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        },
    });
}
