using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RoutedNet.Datastore;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// Where the API server is and how to talk to it: the kubeconfig from <c>--kubeconfig</c>, else
/// <c>$KUBECONFIG</c>, else the pod's service account (KUBERNETES_SERVICE_HOST/PORT, the token
/// and ca.crt under /var/run/secrets/kubernetes.io/serviceaccount). TLS trusts only the cluster's
/// CA (no system CA bundle: the image has none); the token is re-read as the kubelet rotates it.
/// Requests themselves go through <see cref="KubeApi"/>. Our own few dozen lines rather than
/// KubernetesClient: its generated model and JSON contracts for every Kubernetes kind made up a
/// third of each NativeAOT binary that linked it (docs/BENCHMARKS.md "Image size").
/// </summary>
public sealed class KubeConnection : IDisposable
{
    /// <summary>The environment variable kubectl reads, a path or a ':'-separated list of paths.</summary>
    public const string KubeconfigVariable = "KUBECONFIG";

    /// <summary>Where the kubelet mounts the pod's service-account token, CA and namespace.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    private readonly HttpClient _http;
    private readonly KubeCredentials _credentials;

    private KubeConnection(KubeEndpoint endpoint, string source)
    {
        Source = source;
        if (!Uri.TryCreate(endpoint.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new FormatException($"server \"{endpoint.Server}\" is not an http(s) URL");
        }
        // The requests' paths are appended to it: it ends in '/'.
        BaseUrl = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _credentials = new KubeCredentials(endpoint, TimeProvider.System);
        // Watches stream for minutes: requests get their own deadline in KubeApi instead.
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = TlsOptions(endpoint) }) { Timeout = Timeout.InfiniteTimeSpan };
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
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 } host
            && Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT") is { Length: > 0 } port)
        {
            try
            {
                var endpoint = new KubeEndpoint
                {
                    // An IPv6 service address needs brackets in a URL.
                    Server = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}",
                    CaPem = File.ReadAllText(Path.Combine(ServiceAccountDirectory, "ca.crt")),
                    TokenFile = Path.Combine(ServiceAccountDirectory, "token"),
                };
                return new KubeConnection(endpoint, "in-cluster service account");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or CryptographicException)
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
            request.Headers.Authorization = _credentials.Header();
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

    public void Dispose() => _http.Dispose();

    private static SslClientAuthenticationOptions TlsOptions(KubeEndpoint endpoint)
    {
        var tls = new SslClientAuthenticationOptions();
        if (endpoint.TlsServerName is { } name)
        {
            tls.TargetHost = name;
        }
        if (endpoint.InsecureSkipTlsVerify)
        {
            // The kubeconfig asks for it (insecure-skip-tls-verify: true), as kubectl honours it.
#pragma warning disable CA5359
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (endpoint.CaPem is { } ca)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(ca);
            if (roots.Count == 0)
            {
                throw new FormatException("the certificate authority holds no PEM certificate");
            }
            // The cluster CA is the only root trusted (the server's name is still checked).
            tls.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            tls.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        if (endpoint.ClientCertificatePem is { } certificate)
        {
            var key = endpoint.ClientKeyPem ?? throw new FormatException("client-certificate without client-key");
            tls.ClientCertificates = [X509Certificate2.CreateFromPem(certificate, key)];
        }
        return tls;
    }

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
            return new KubeConnection(Kubeconfig.Read(paths[0]), paths[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"kubeconfig \"{text}\" (from {origin}): {OneLine(e.Message)}", nameof(paths), e);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
