using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// What a kubeconfig file's current context says: the cluster (server, CA, TLS name) and the
/// user's credentials. Only the fields RoutedNet acts on are read; a credential it cannot use (an
/// exec plugin, an auth provider) is an error naming the field rather than a silent anonymous
/// request. Relative file paths are relative to the kubeconfig's directory, as kubectl has it.
/// (Read with YamlDotNet's representation model: no reflection, NativeAOT-clean.)
/// </summary>
internal static class Kubeconfig
{
    /// <summary>Reads <paramref name="path"/>; a problem is a <see cref="FormatException"/> saying what is wrong.</summary>
    public static KubeEndpoint Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(path)));
        }
        catch (YamlException e)
        {
            throw new FormatException($"not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("not a kubeconfig (expected a mapping with clusters, users, contexts)");
        }
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var contextName = Scalar(root, "current-context") ?? throw new FormatException("no current-context");
        var context = Named(root, "contexts", contextName, "context");
        var clusterName = Scalar(context, "cluster") ?? throw new FormatException($"context \"{contextName}\" names no cluster");
        var cluster = Named(root, "clusters", clusterName, "cluster");
        var userName = Scalar(context, "user");
        var user = userName is null ? null : Named(root, "users", userName, "user");
        var server = Scalar(cluster, "server") ?? throw new FormatException($"cluster \"{clusterName}\" has no server");
        if (user is not null)
        {
            foreach (var unsupported in new[] { "exec", "auth-provider" })
            {
                if (user.Children.ContainsKey(unsupported))
                {
                    throw new FormatException($"user \"{userName}\": \"{unsupported}\" credentials are not supported: give token, tokenFile or client-certificate/client-key");
                }
            }
        }
        return new KubeEndpoint
        {
            Server = server,
            CaPem = Pem(cluster, "certificate-authority-data", "certificate-authority", dir),
            InsecureSkipTlsVerify = Scalar(cluster, "insecure-skip-tls-verify") is "true",
            TlsServerName = Scalar(cluster, "tls-server-name"),
            ClientCertificatePem = user is null ? null : Pem(user, "client-certificate-data", "client-certificate", dir),
            ClientKeyPem = user is null ? null : Pem(user, "client-key-data", "client-key", dir),
            Token = user is null ? null : Scalar(user, "token"),
            TokenFile = user is null || Scalar(user, "tokenFile") is not { } tokenFile ? null : Path.Combine(dir, tokenFile),
            Username = user is null ? null : Scalar(user, "username"),
            Password = user is null ? null : Scalar(user, "password"),
        };
    }

    // clusters: [{name: X, cluster: {...}}]: the entry called `name`, its `inner` mapping.
    private static YamlMappingNode Named(YamlMappingNode root, string list, string name, string inner)
    {
        if (root.Children.TryGetValue(list, out var node) && node is YamlSequenceNode entries)
        {
            foreach (var entry in entries.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name)
                {
                    return entry.Children.TryGetValue(inner, out var value) && value is YamlMappingNode map
                        ? map
                        : throw new FormatException($"{list}: \"{name}\" has no {inner}");
                }
            }
        }
        throw new FormatException($"{list}: no entry named \"{name}\"");
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(key, out var node) && node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    // Inline base64 (…-data) wins over a file, as in kubectl.
    private static string? Pem(YamlMappingNode map, string dataKey, string fileKey, string dir)
    {
        if (Scalar(map, dataKey) is { } data)
        {
            try
            {
                return System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{dataKey} is not base64: {e.Message}", e);
            }
        }
        return Scalar(map, fileKey) is { } file ? File.ReadAllText(Path.Combine(dir, file)) : null;
    }
}
