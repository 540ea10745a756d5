using System.Net.Http.Headers;

namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// The Authorization header of every request: a bearer token (given, or read from a file that is
/// re-read once a minute: the kubelet rotates projected service-account tokens well before they
/// expire), else basic auth, else none (client certificates authenticate in TLS).
/// </summary>
internal sealed class KubeCredentials
{
    private static readonly TimeSpan TokenFileRefresh = TimeSpan.FromMinutes(1);

    private readonly KubeEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private string? _fileToken;
    private long _readAt;

    public KubeCredentials(KubeEndpoint endpoint, TimeProvider time)
    {
        _endpoint = endpoint;
        _time = time;
        if (endpoint.TokenFile is not null)
        {
            // Read now, so that a missing or unreadable token file fails the start, not a request.
            _fileToken = ReadTokenFile(endpoint.TokenFile);
            _readAt = time.GetTimestamp();
        }
    }

    public AuthenticationHeaderValue? Header()
    {
        if (_endpoint.Token is { } token)
        {
            return new AuthenticationHeaderValue("Bearer", token);
        }
        if (_endpoint.TokenFile is { } file)
        {
            return new AuthenticationHeaderValue("Bearer", FileToken(file));
        }
        if (_endpoint.Username is { } user)
        {
            var pair = System.Text.Encoding.UTF8.GetBytes($"{user}:{_endpoint.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }
        return null;
    }

    private string FileToken(string file)
    {
        lock (_lock)
        {
            if (_time.GetElapsedTime(_readAt) >= TokenFileRefresh)
            {
                try
                {
                    _fileToken = ReadTokenFile(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Mid-rotation or briefly unreadable: the last token is still valid for a while.
                }
                _readAt = _time.GetTimestamp();
            }
            return _fileToken!;
        }
    }

    private static string ReadTokenFile(string file) => File.ReadAllText(file).Trim();
}
