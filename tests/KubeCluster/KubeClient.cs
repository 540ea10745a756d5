using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>
/// The few REST calls the harness makes as the control plane's controllers and the nodes' kubelets
/// (cluster-admin), in JSON, over HTTPS to the stand-in in the tor namespace, trusting its CA.
/// A failed call throws with the verb, path and the server's Status.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly HttpClient _http;

    public KubeClient(string baseUrl, string caPem, string token, string netnsPath)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        var trusted = X509CertificateLoader.LoadCertificate(ca.RawData);
        var handler = NamespacedHttp.Handler(netnsPath);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The object, or null when it is not there (404).</summary>
    public async Task<JsonObject?> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        return await ReadAsync("GET", path, response).ConfigureAwait(false);
    }

    /// <summary>The items of a LIST.</summary>
    public async Task<List<JsonObject>> ListAsync(string path)
    {
        var list = await GetAsync(path).ConfigureAwait(false);
        return list?["items"]?.AsArray().Select(i => i!.AsObject()).ToList() ?? [];
    }

    public Task<JsonObject> CreateAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<JsonObject> ReplaceAsync(string path, JsonObject body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<JsonObject> MergePatchAsync(string path, JsonObject patch) => SendAsync(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json");

    /// <summary>DELETE; a missing object is fine. A grace period of 0 is what the kubelet sends once the pod's containers are gone.</summary>
    public async Task DeleteAsync(string path, int? gracePeriodSeconds = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, path);
        if (gracePeriodSeconds is { } grace)
        {
            request.Content = new StringContent(
                new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["gracePeriodSeconds"] = grace }.ToJsonString(),
                Encoding.UTF8,
                "application/json");
        }
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await ReadAsync("DELETE", path, response).ConfigureAwait(false);
        }
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await _http.SendAsync(request).ConfigureAwait(false);
        return await ReadAsync(method.Method, path, response).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadAsync(string verb, string path, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new KubeApiException(response.StatusCode, $"{verb} {path}: {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!.AsObject();
    }

    public void Dispose() => _http.Dispose();
}
