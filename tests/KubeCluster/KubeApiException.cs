using System.Net;

namespace RoutedNet.Tests.KubeCluster;

/// <summary>A refused API call: the status code (409 means "read again") and the server's answer.</summary>
public sealed class KubeApiException : Exception
{
    public HttpStatusCode StatusCode { get; }

    public KubeApiException(HttpStatusCode statusCode, string message)
        : base(message) => StatusCode = statusCode;

    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
