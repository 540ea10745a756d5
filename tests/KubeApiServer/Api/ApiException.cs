using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>A failed request, answered with a metav1.Status body as kube-apiserver does.</summary>
public sealed class ApiException : Exception
{
    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details);
}
