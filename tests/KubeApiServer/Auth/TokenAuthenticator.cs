using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RoutedNet.KubeApiServer.Auth;

/// <summary>
/// Bearer tokens: the admin token written into the kubeconfig (group system:masters, so
/// cluster-admin as on a real cluster), and service-account tokens issued through TokenRequest,
/// which authenticate as system:serviceaccount:NS:NAME with groups system:serviceaccounts,
/// system:serviceaccounts:NS and system:authenticated while their service account exists.
/// </summary>
public sealed class TokenAuthenticator
{
    private readonly ConcurrentDictionary<string, (string Namespace, string Name, DateTimeOffset Expires)> _serviceAccountTokens = new(StringComparer.Ordinal);

    public TokenAuthenticator() => AdminToken = NewToken();

    public string AdminToken { get; }

    public static UserInfo Admin { get; } = new("routednet-test-admin", ["system:masters", "system:authenticated"]);

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string IssueServiceAccountToken(string ns, string name, DateTimeOffset expires)
    {
        var token = "rnt-sa-" + NewToken();
        _serviceAccountTokens[token] = (ns, name, expires);
        return token;
    }

    /// <summary>Null when the token is unknown, expired, or its service account is gone.</summary>
    public UserInfo? Authenticate(string token, DateTimeOffset now, Func<string, string, bool> serviceAccountExists)
    {
        if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(AdminToken)))
        {
            return Admin;
        }
        if (_serviceAccountTokens.TryGetValue(token, out var sa) && sa.Expires > now && serviceAccountExists(sa.Namespace, sa.Name))
        {
            return ServiceAccount(sa.Namespace, sa.Name);
        }
        return null;
    }

    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"]);
}
