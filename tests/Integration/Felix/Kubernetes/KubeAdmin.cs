using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RoutedNet.Integration.Felix.Kubernetes;

/// <summary>
/// Plain HTTP calls to the stand-in API server with one identity from a kubeconfig (a bearer
/// token; the cluster CA when it serves TLS): what kubelet and an installer do in the tests (core
/// Nodes, Pods and their status, the chart's RBAC, a TokenRequest), apart from the client under test.
/// </summary>
public sealed class KubeAdmin : IDisposable
{
    private readonly HttpClient _http;

    private KubeAdmin(Uri server, string token, X509Certificate2? ca)
    {
        Server = server;
        CaData = ca is null ? null : Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
        var handler = new SocketsHttpHandler();
        if (ca is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(new X509Certificate2(certificate));
            };
        }
        _http = new HttpClient(handler) { BaseAddress = server };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server { get; }

    /// <summary>certificate-authority-data for a kubeconfig of the same cluster (null: plain HTTP).</summary>
    public string? CaData { get; }

    /// <summary>The identity of the kubeconfig's current user (a token).</summary>
    public static KubeAdmin FromKubeconfig(string path)
    {
        var config = (Dictionary<object, object>)new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(path))!;
        var cluster = (Dictionary<object, object>)((Dictionary<object, object>)((List<object>)config["clusters"])[0])["cluster"];
        var user = (Dictionary<object, object>)((Dictionary<object, object>)((List<object>)config["users"])[0])["user"];
        X509Certificate2? ca = null;
        if (cluster.TryGetValue("certificate-authority-data", out var data))
        {
            ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String((string)data)));
        }
        return new KubeAdmin(new Uri((string)cluster["server"]), (string)user["token"], ca);
    }

    /// <summary>The same server and CA with another bearer token.</summary>
    public KubeAdmin As(string token) =>
        new(Server, token, CaData is null ? null : X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(CaData))));

    /// <summary>Sends a request; a failure status throws with the server's answer.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        var (status, body) = await TrySendAsync(method, path, json, contentType);
        if ((int)status >= 300)
        {
            throw new HttpRequestException($"{method} {path}: {(int)status} {body}", null, status);
        }
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, string Body)> TrySendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Creates the object; one that exists already is left as it is.</summary>
    public async Task CreateAsync(string collectionPath, string json)
    {
        var (status, body) = await TrySendAsync(HttpMethod.Post, collectionPath, json);
        if ((int)status >= 300 && status != HttpStatusCode.Conflict)
        {
            throw new HttpRequestException($"POST {collectionPath}: {(int)status} {body}", null, status);
        }
    }

    public Task<JsonElement> MergePatchAsync(string path, string json) =>
        SendAsync(HttpMethod.Patch, path, json, "application/merge-patch+json");

    /// <summary>Creates each document of a YAML manifest (ServiceAccount, Namespace, ClusterRole, ClusterRoleBinding, Role, RoleBinding).</summary>
    public async Task ApplyManifestAsync(string path)
    {
        var parser = new Parser(new StringReader(await File.ReadAllTextAsync(path)));
        parser.Consume<YamlDotNet.Core.Events.StreamStart>();
        var deserializer = new DeserializerBuilder().Build();
        var json = new SerializerBuilder().JsonCompatible().Build();
        while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
        {
            var document = deserializer.Deserialize<Dictionary<object, object>>(parser);
            var metadata = (Dictionary<object, object>)document["metadata"];
            var ns = metadata.TryGetValue("namespace", out var n) ? (string)n : null;
            var collection = (string)document["kind"] switch
            {
                "ServiceAccount" => $"/api/v1/namespaces/{ns}/serviceaccounts",
                "Namespace" => "/api/v1/namespaces",
                "ClusterRole" => "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                "ClusterRoleBinding" => "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                "Role" => $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
                "RoleBinding" => $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
                var kind => throw new InvalidOperationException($"{path}: no collection for kind {kind}"),
            };
            await CreateAsync(collection, json.Serialize(document));
        }
    }

    /// <summary>A bound token for the ServiceAccount (TokenRequest, as kubelet gets a projected token).</summary>
    public async Task<string> RequestTokenAsync(string ns, string serviceAccount)
    {
        var answer = await SendAsync(
            HttpMethod.Post,
            $"/api/v1/namespaces/{ns}/serviceaccounts/{serviceAccount}/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}""");
        return answer.GetProperty("status").GetProperty("token").GetString()!;
    }

    /// <summary>Writes a kubeconfig for this cluster with <paramref name="token"/> as its user, as an agent's pod would be configured.</summary>
    public void WriteKubeconfig(string path, string token, string user)
    {
        var ca = CaData is null ? "" : $"\n    certificate-authority-data: {CaData}";
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stand-in
              cluster:
                server: {Server}{ca}
            users:
            - name: {user}
              user:
                token: {token}
            contexts:
            - name: {user}
              context:
                cluster: stand-in
                user: {user}
            current-context: {user}

            """);
    }

    public void Dispose() => _http.Dispose();
}
