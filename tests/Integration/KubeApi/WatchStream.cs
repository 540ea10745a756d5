using System.Net;
using System.Text.Json.Nodes;

namespace RoutedNet.Integration.KubeApi;

/// <summary>An open watch read line by line, as a client reads the stand-in's chunked stream.</summary>
public sealed class WatchStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public HttpStatusCode Code => _response.StatusCode;

    public static async Task<WatchStream> OpenAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        return new WatchStream(response, reader);
    }

    /// <summary>The next event; null at the end of the stream. Fails after 20 s without one (a hang guard, not a timing check).</summary>
    public async Task<JsonObject?> NextAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await _reader.ReadLineAsync(cts.Token);
        return line is null ? null : JsonNode.Parse(line)!.AsObject();
    }

    /// <summary>The next event that is not a BOOKMARK.</summary>
    public async Task<JsonObject?> NextChangeAsync()
    {
        while (true)
        {
            var ev = await NextAsync();
            if (ev is null || (string?)ev["type"] != "BOOKMARK")
            {
                return ev;
            }
        }
    }

    public async Task<string> BodyAsync() => await _reader.ReadToEndAsync();

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
