namespace RoutedNet.Datastore;

/// <summary>
/// The datastore URL contract (DESIGN.md): <c>sqlite://PATH</c> (default
/// <c>sqlite:///var/lib/routednet/store.db</c>) or <c>etcd://HOST:PORT[,HOST:PORT...]</c>.
/// </summary>
public sealed record DatastoreUrl
{
    public const string EnvironmentVariable = "ROUTEDNET_DATASTORE";
    public const string Default = "sqlite:///var/lib/routednet/store.db";

    private DatastoreUrl(DatastoreKind kind, string text, string? sqlitePath, IReadOnlyList<Uri> etcdEndpoints)
    {
        Kind = kind;
        Text = text;
        SqlitePath = sqlitePath;
        EtcdEndpoints = etcdEndpoints;
    }

    public DatastoreKind Kind { get; }

    /// <summary>The URL as given.</summary>
    public string Text { get; }

    /// <summary>The database file, for <see cref="DatastoreKind.Sqlite"/>.</summary>
    public string? SqlitePath { get; }

    /// <summary>http://HOST:PORT of every etcd member, for <see cref="DatastoreKind.Etcd"/>.</summary>
    public IReadOnlyList<Uri> EtcdEndpoints { get; }

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
        const string etcd = "etcd://";
        if (text.StartsWith(sqlite, StringComparison.Ordinal) && text.Length > sqlite.Length)
        {
            return new DatastoreUrl(DatastoreKind.Sqlite, text, text[sqlite.Length..], []);
        }
        if (text.StartsWith(etcd, StringComparison.Ordinal))
        {
            var endpoints = text[etcd.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(hostPort => ParseEndpoint(text, hostPort))
                .ToList();
            if (endpoints.Count > 0)
            {
                return new DatastoreUrl(DatastoreKind.Etcd, text, null, endpoints);
            }
        }
        throw Bad(text, "unknown form");
    }

    public override string ToString() => Text;

    private static Uri ParseEndpoint(string text, string hostPort)
    {
        if (!Uri.TryCreate("http://" + hostPort, UriKind.Absolute, out var uri) || uri.IsDefaultPort || uri.AbsolutePath != "/")
        {
            throw Bad(text, $"\"{hostPort}\" is not HOST:PORT");
        }
        return uri;
    }

    private static ArgumentException Bad(string text, string why) =>
        new($"datastore URL \"{text}\": {why}; expected sqlite://PATH (e.g. {Default}) or etcd://HOST:PORT[,HOST:PORT...]", nameof(text));
}
