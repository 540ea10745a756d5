namespace RoutedNet.Datastore;

/// <summary>
/// How a client proves itself to etcd, as calicoctl and etcdctl do: TLS with the cluster's CA
/// (<see cref="CaCertFile"/>, else the system's trust store) and optionally a client certificate
/// (<see cref="CertFile"/> and <see cref="KeyFile"/>, for etcd's --client-cert-auth), and etcd's
/// own user/password auth. Every program takes the same settings under the same names: flags
/// <c>--etcd-ca-cert-file</c>, <c>--etcd-cert-file</c>, <c>--etcd-key-file</c>,
/// <c>--etcd-username</c>, <c>--etcd-password</c>; the environment variables in
/// <see cref="Variables"/>; netconf keys <c>etcdCaCertFile</c> and so on. The password is never
/// printed: <see cref="ToString"/> redacts it, and no error message repeats it.
/// </summary>
public sealed record EtcdSecurity
{
    public const string CaCertFileVariable = "ROUTEDNET_ETCD_CA_CERT_FILE";
    public const string CertFileVariable = "ROUTEDNET_ETCD_CERT_FILE";
    public const string KeyFileVariable = "ROUTEDNET_ETCD_KEY_FILE";
    public const string UsernameVariable = "ROUTEDNET_ETCD_USERNAME";
    public const string PasswordVariable = "ROUTEDNET_ETCD_PASSWORD";

    public static readonly EtcdSecurity None = new();

    public static IReadOnlyList<string> Variables { get; } = [CaCertFileVariable, CertFileVariable, KeyFileVariable, UsernameVariable, PasswordVariable];

    /// <summary>PEM file of the CA(s) that signed the etcd members' certificates; null: the system's trust store.</summary>
    public string? CaCertFile { get; init; }

    /// <summary>PEM client certificate, for members that require one (--client-cert-auth).</summary>
    public string? CertFile { get; init; }

    /// <summary>PEM private key of <see cref="CertFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>etcd user (auth enabled); null: no user/password auth (a client certificate's CN may stand for the user).</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    public bool UsesTlsFiles => CaCertFile is not null || CertFile is not null || KeyFile is not null;

    /// <summary>Values given in the environment (empty ones count as not given).</summary>
    public static EtcdSecurity FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string? Get(string name) => getVariable(name) is { Length: > 0 } value ? value : null;
        return new EtcdSecurity
        {
            CaCertFile = Get(CaCertFileVariable),
            CertFile = Get(CertFileVariable),
            KeyFile = Get(KeyFileVariable),
            Username = Get(UsernameVariable),
            Password = Get(PasswordVariable),
        };
    }

    /// <summary>
    /// Refuses settings that cannot work with <paramref name="url"/>, before anything connects:
    /// half a key pair, a password without a user, TLS files for a plain-text URL (which would
    /// otherwise be ignored, and the connection made in the clear).
    /// </summary>
    public void Validate(DatastoreUrl url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if ((CertFile is null) != (KeyFile is null))
        {
            throw new ArgumentException("etcd client certificate: give both --etcd-cert-file and --etcd-key-file, or neither");
        }
        if ((Username is null) != (Password is null))
        {
            throw new ArgumentException("etcd auth: give both --etcd-username and --etcd-password, or neither");
        }
        // Other datastores ignore them (a DaemonSet may set the variables for every node).
        if (url.Kind == DatastoreKind.Etcd && UsesTlsFiles && !url.EtcdTls)
        {
            throw new ArgumentException($"etcd TLS files given, but the datastore URL {url.Text} is plain text: use etcds://HOST:PORT (or https://HOST:PORT)");
        }
    }

    public override string ToString() =>
        $"EtcdSecurity {{ CaCertFile = {CaCertFile}, CertFile = {CertFile}, KeyFile = {KeyFile}, Username = {Username}, Password = {(Password is null ? "" : "(redacted)")} }}";
}
