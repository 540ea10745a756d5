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
    private readonly EtcdAuth? _auth;
    private int _current;

    public EtcdEndpoints(IReadOnlyList<Uri> uris, EtcdSecurity? security = null)
    {
        _uris = uris;
        security ??= EtcdSecurity.None;
        // Read now: a bad file fails the open, not the first call.
        var tls = uris[0].Scheme == Uri.UriSchemeHttps ? EtcdTls.Options(security) : null;
        _auth = security.Username is { } user ? new EtcdAuth(user, security.Password ?? "") : null;
        _channels = uris.Select(uri => new Lazy<GrpcChannel>(() => Open(uri, tls))).ToArray();
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

    /// <summary>The auth token's metadata for a call or a watch on <paramref name="channel"/>; null without auth.</summary>
    public async Task<Metadata?> HeadersAsync(GrpcChannel channel, DateTime deadline, CancellationToken cancellationToken) =>
        _auth is null ? null : await _auth.HeadersAsync(channel, deadline, cancellationToken).ConfigureAwait(false);

    /// <summary>After <paramref name="e"/> on a call made with <paramref name="headers"/>: whether to authenticate again and retry.</summary>
    public bool ForgetStaleToken(RpcException e, Metadata? headers)
    {
        if (_auth is null || headers is null || !EtcdAuth.IsStaleToken(e))
        {
            return false;
        }
        _auth.Invalidate(headers);
        return true;
    }

    /// <summary>Runs a unary call, failing over across members on connection failures.</summary>
    public async Task<T> CallAsync<T>(Func<GrpcChannel, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var reauthenticated = false;
        for (var attempt = 0; attempt < _channels.Length; attempt++)
        {
            var (channel, index) = Current;
            Metadata? headers = null;
            try
            {
                var deadline = DateTime.UtcNow + CallTimeout;
                headers = await HeadersAsync(channel, deadline, cancellationToken).ConfigureAwait(false);
                var options = new CallOptions(headers, deadline, cancellationToken);
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
            catch (RpcException e) when (!reauthenticated && ForgetStaleToken(e, headers))
            {
                // The token expired or the member forgot it: once more with a new one.
                reauthenticated = true;
                attempt--;
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

    private static GrpcChannel Open(Uri uri, System.Net.Security.SslClientAuthenticationOptions? tls) => GrpcChannel.ForAddress(uri, new GrpcChannelOptions
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
            SslOptions = tls ?? new System.Net.Security.SslClientAuthenticationOptions(),
        },
    });
}
