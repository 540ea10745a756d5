using System.Net;
using System.Text;
using RoutedNet.Tests.TestKit.KubeApi;

namespace RoutedNet.Integration.KubeApi;

/// <summary>
/// Protobuf request bodies as client-go sends them for helm's secret release driver (lab notes
/// E2): a v1.Secret in a runtime.Unknown after the "k8s\0" magic is stored as its JSON form;
/// a kind the stand-in does not decode is 415 naming it.
/// </summary>
public sealed class StandInProtobufTests : IClassFixture<StandInFixture>
{
    private readonly KubeApiServerProcess _server;

    public StandInProtobufTests(StandInFixture fixture) => _server = fixture.Server;

    private static byte[] Field(int number, byte[] payload) => [.. Varint((ulong)(number << 3 | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static byte[] Envelope(string kind, byte[] raw) =>
        [.. "k8s\0"u8.ToArray(), .. Field(1, [.. Field(1, "v1"), .. Field(2, kind)]), .. Field(2, raw), .. Field(3, ""), .. Field(4, "")];

    private async Task<(HttpStatusCode, string)> PostProtobufAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var response = await _server.Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CreateSecret_Protobuf_StoredAsJson()
    {
        byte[] meta = [.. Field(1, "sh.helm.release.v1.t1.v1"), .. Field(11, [.. Field(1, "owner"), .. Field(2, "helm")])];
        byte[] secret = [.. Field(1, meta), .. Field(2, [.. Field(1, "release"), .. Field(2, "H4sI")]), .. Field(3, "helm.sh/release.v1")];

        var (code, body) = await PostProtobufAsync("/api/v1/namespaces/default/secrets", Envelope("Secret", secret));

        Assert.True(code == HttpStatusCode.Created, body);
        var (_, stored) = await _server.Client.GetJsonAsync("/api/v1/namespaces/default/secrets/sh.helm.release.v1.t1.v1");
        Assert.Equal("helm", (string?)stored["metadata"]!["labels"]!["owner"]);
        Assert.Equal("helm.sh/release.v1", (string?)stored["type"]);
        Assert.Equal(Convert.ToBase64String("H4sI"u8.ToArray()), (string?)stored["data"]!["release"]);
    }

    [Fact]
    public async Task CreatePod_Protobuf_UnsupportedMediaType415()
    {
        var (code, body) = await PostProtobufAsync("/api/v1/namespaces/default/pods", Envelope("Pod", Field(1, Field(1, "p"))));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Contains("not v1 Pod", body, StringComparison.Ordinal);
    }
}
