namespace RoutedNet.Tests.KubeCluster;

/// <summary>A CNI plugin refused (its error JSON is in the message); the kubelet retries, as kubelet does.</summary>
public sealed class CniException : Exception
{
    public CniException()
    {
    }

    public CniException(string message)
        : base(message)
    {
    }

    public CniException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
