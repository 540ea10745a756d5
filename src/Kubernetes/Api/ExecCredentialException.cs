namespace RoutedNet.Kubernetes.Api;

/// <summary>A kubeconfig's exec credential plugin failed; the message is one line naming the plugin.</summary>
public sealed class ExecCredentialException : IOException
{
    public ExecCredentialException(string message)
        : base(message)
    {
    }

    public ExecCredentialException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
