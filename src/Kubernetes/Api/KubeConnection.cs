using k8s;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// Where the API server is and how to talk to it: the kubeconfig from <c>--kubeconfig</c>, else
/// <c>$KUBECONFIG</c>, else the pod's service account (KUBERNETES_SERVICE_HOST/PORT, the token
/// and ca.crt under /var/run/secrets/kubernetes.io/serviceaccount). KubernetesClient.Aot does the
/// parsing, TLS (the cluster CA, client certificates) and credentials (the service-account token
/// is re-read as the kubelet rotates it); requests themselves go through <see cref="KubeApi"/>.
/// </summary>
public sealed class KubeConnection : IDisposable
{
    /// <summary>The environment variable kubectl reads, a path or a ':'-separated list of paths.</summary>
    public const string KubeconfigVariable = "KUBECONFIG";

    private readonly k8s.Kubernetes _client;
    private readonly HttpClient _http;

    private KubeConnection(KubernetesClientConfiguration config, string source)
    {
        Source = source;
        // Watches stream for minutes: requests get their own deadline in KubeApi instead.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        _client = new k8s.Kubernetes(config);
        BaseUrl = _client.BaseUri;
        // The library's HttpClient carries the TLS settings (cluster CA, client certificate); its
        // credentials are applied per request below, so a rotated token file is picked up.
        _http = _client.HttpClient;
    }

    /// <summary>The API server's base URL, e.g. https://10.96.0.1:443/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Where the configuration came from: the kubeconfig path, or "in-cluster service account".</summary>
    public string Source { get; }

    /// <summary>
    /// Opens the connection <paramref name="kubeconfig"/> (a path, may be null) names, falling back
    /// to $KUBECONFIG and then to the in-cluster service account. A configuration that cannot be
    /// read is an <see cref="ArgumentException"/> whose one line names the file and the reason.
    /// </summary>
    public static KubeConnection Open(string? kubeconfig)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfig))
        {
            return FromFiles(kubeconfig, [kubeconfig], "--kubeconfig");
        }
        if (Environment.GetEnvironmentVariable(KubeconfigVariable) is { Length: > 0 } variable)
        {
            var paths = variable.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return FromFiles(variable, paths, "$" + KubeconfigVariable);
        }
        if (KubernetesClientConfiguration.IsInCluster())
        {
            try
            {
                return new KubeConnection(KubernetesClientConfiguration.InClusterConfig(), "in-cluster service account");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException)
            {
                throw new ArgumentException($"kubernetes datastore: the in-cluster service account cannot be read: {OneLine(e.Message)}", nameof(kubeconfig), e);
            }
        }
        throw new ArgumentException(
            "kubernetes datastore: no API server configured: give --kubeconfig PATH or set KUBECONFIG, or run in a pod with a service account (KUBERNETES_SERVICE_HOST is not set)",
            nameof(kubeconfig));
    }

    /// <summary>Sends <paramref name="request"/> with the credentials; an unreachable server is a <see cref="DatastoreUnavailableException"/> naming the URL.</summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            if (_client.Credentials is { } credentials)
            {
                await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
            }
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (IOException e)
        {
            throw Unreachable(e);
        }
    }

    internal DatastoreUnavailableException Unreachable(Exception e) =>
        new($"kubernetes API server {BaseUrl}: unreachable: {OneLine(e.InnerException?.Message ?? e.Message)}", e);

    public void Dispose() => _client.Dispose();

    private static KubeConnection FromFiles(string text, string[] paths, string origin)
    {
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new ArgumentException($"kubeconfig \"{path}\" (from {origin}): no such file", nameof(paths));
            }
        }
        try
        {
            // kubectl merges a KUBECONFIG list; the first file is the one that names the context.
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(paths[0]);
            return new KubeConnection(config, paths[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Exceptions.KubeConfigException
            or YamlDotNet.Core.YamlException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ArgumentException($"kubeconfig \"{text}\" (from {origin}): {OneLine(e.Message)}", nameof(paths), e);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
