using Grpc.Core;
using Grpc.Net.Client;
using RoutedNet.Datastore.Etcd.Proto;

namespace RoutedNet.Datastore.Etcd;

/// <summary>
/// etcd's user/password auth: Authenticate once for a token, send it as the "token" metadata of
/// every request, and authenticate again when a member says the token is no longer valid (simple
/// tokens expire after --auth-token-ttl, 300 s by default, and a member restart forgets them).
/// One token at a time, shared by every call; the password is only ever sent to etcd.
/// </summary>
internal sealed class EtcdAuth(string username, string password)
{
    private const string TokenKey = "token";

    private string? _token;

    /// <summary>The metadata for a call on <paramref name="channel"/>, authenticating there first if no token is held.</summary>
    public async Task<Metadata> HeadersAsync(GrpcChannel channel, DateTime deadline, CancellationToken cancellationToken)
    {
        var token = Volatile.Read(ref _token);
        if (token is null)
        {
            var response = await new Proto.Auth.AuthClient(channel).AuthenticateAsync(
                new AuthenticateRequest { Name = username, Password = password },
                deadline: deadline,
                cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            token = response.Token;
            Volatile.Write(ref _token, token);
        }
        return new Metadata { { TokenKey, token } };
    }

    /// <summary>Forgets the token a call was refused with (unless another call already replaced it).</summary>
    public void Invalidate(Metadata headers) =>
        Interlocked.CompareExchange(ref _token, null, headers.GetValue(TokenKey));

    /// <summary>
    /// etcd's answers that mean "authenticate again": ErrInvalidAuthToken (Unauthenticated) and
    /// ErrAuthOldRevision (the auth store changed since the token was issued).
    /// </summary>
    public static bool IsStaleToken(RpcException e) =>
        e.StatusCode == StatusCode.Unauthenticated
        || e.Status.Detail.Contains("auth store is old", StringComparison.Ordinal);
}
