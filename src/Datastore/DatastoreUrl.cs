namespace RoutedNet.Datastore;

/// <summary>
/// The datastore URL contract (DESIGN.md): <c>sqlite://PATH</c> (default
/// <c>sqlite:///var/lib/routednet/store.db</c>), <c>etcd://HOST:PORT[,HOST:PORT...]</c>, or
/// <c>kubernetes</c> (the cluster's API server, found by kubeconfig or the pod's service account);
/// <c>etcds://HOST:PORT[,...]</c> speaks TLS to etcd, and etcdctl's endpoint lists
/// (<c>https://HOST:PORT[,https://HOST:PORT...]</c>, or http://) are taken as they are. Credentials
/// never go in the URL (it is logged): they are <see cref="EtcdSecurity"/> settings.
/// </summary>
public sealed record DatastoreUrl
{
    public const string EnvironmentVariable = "ROUTEDNET_DATASTORE";
    public const string Default = "sqlite:///var/lib/routednet/store.db";

    /// <summary>The text that selects <see cref="DatastoreKind.Kubernetes"/>.</summary>
    public const string KubernetesText = "kubernetes";

    private DatastoreUrl(DatastoreKind kind, string text, string? sqlitePath, IReadOnlyList<Uri> etcdEndpoints, bool etcdTls = false)
    {
        Kind = kind;
        Text = text;
        SqlitePath = sqlitePath;
        EtcdEndpoints = etcdEndpoints;
        EtcdTls = etcdTls;
    }

    public DatastoreKind Kind { get; }

    /// <summary>The URL as given.</summary>
    public string Text { get; }

    /// <summary>The database file, for <see cref="DatastoreKind.Sqlite"/>.</summary>
    public string? SqlitePath { get; }

    /// <summary>http://HOST:PORT (https:// with TLS) of every etcd member, for <see cref="DatastoreKind.Etcd"/>.</summary>
    public IReadOnlyList<Uri> EtcdEndpoints { get; }

    /// <summary>Whether the etcd members are spoken to over TLS (etcds:// or https://).</summary>
    public bool EtcdTls { get; }

    /// <summary>The flag's value when given, else <c>$ROUTEDNET_DATASTORE</c>, else <see cref="Default"/>.</summary>
    public static DatastoreUrl Resolve(string? explicitUrl = null)
    {
        var text = !string.IsNullOrWhiteSpace(explicitUrl) ? explicitUrl
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
            : Default;
        return Parse(text);
    }

    /// <summary>Parses a datastore URL; <see cref="ArgumentException"/> naming the accepted forms otherwise.</summary>
    public static DatastoreUrl Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string sqlite = "sqlite://";
        if (text == KubernetesText)
        {
            return new DatastoreUrl(DatastoreKind.Kubernetes, text, null, []);
        }
        if (text.StartsWith(sqlite, StringComparison.Ordinal) && text.Length > sqlite.Length)
        {
            return new DatastoreUrl(DatastoreKind.Sqlite, text, text[sqlite.Length..], []);
        }
        if (text.Contains('@', StringComparison.Ordinal))
        {
            // Not echoed: what precedes the @ may be a password.
            throw new ArgumentException(
                "the datastore URL holds credentials (USER:PASSWORD@); give them as --etcd-username and --etcd-password (or their environment variables) instead, so that they are never logged",
                nameof(text));
        }
        foreach (var (scheme, tls) in (ReadOnlySpan<(string, bool)>)[("etcd://", false), ("etcds://", true)])
        {
            if (text.StartsWith(scheme, StringComparison.Ordinal))
            {
                return Etcd(text, text[scheme.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), tls);
            }
        }
        if (text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal))
        {
            // etcdctl's --endpoints: every member with its scheme, all the same.
            var members = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var tls = members[0].StartsWith("https://", StringComparison.Ordinal);
            var prefix = tls ? "https://" : "http://";
            if (members.Any(m => !m.StartsWith(prefix, StringComparison.Ordinal)))
            {
                throw Bad(text, $"every endpoint must start with {prefix} like the first one");
            }
            return Etcd(text, members.Select(m => m[prefix.Length..].TrimEnd('/')).ToArray(), tls);
        }
        throw Bad(text, "unknown form");
    }

    public override string ToString() => Text;

    private static DatastoreUrl Etcd(string text, string[] hostPorts, bool tls)
    {
        var endpoints = hostPorts.Select(hostPort => ParseEndpoint(text, hostPort, tls)).ToList();
        return endpoints.Count > 0 ? new DatastoreUrl(DatastoreKind.Etcd, text, null, endpoints, tls) : throw Bad(text, "no HOST:PORT");
    }

    private static Uri ParseEndpoint(string text, string hostPort, bool tls)
    {
        var scheme = tls ? "https://" : "http://";
        if (!Uri.TryCreate(scheme + hostPort, UriKind.Absolute, out var uri) || !hostPort.EndsWith($":{uri.Port}", StringComparison.Ordinal) || uri.AbsolutePath != "/")
        {
            throw Bad(text, $"\"{hostPort}\" is not HOST:PORT");
        }
        return uri;
    }

    private static ArgumentException Bad(string text, string why) =>
        new($"datastore URL \"{text}\": {why}; expected sqlite://PATH (e.g. {Default}), etcd://HOST:PORT[,HOST:PORT...] or, with TLS, etcds://HOST:PORT[,...] (or https://HOST:PORT[,https://HOST:PORT...]), or {KubernetesText}", nameof(text));
}
