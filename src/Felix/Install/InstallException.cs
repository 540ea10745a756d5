namespace RoutedNet.Felix.Install;

/// <summary>install-cni or a cleanup step could not do its work; the message is the one line the command prints.</summary>
public sealed class InstallException : Exception
{
    public InstallException()
    {
    }

    public InstallException(string message)
        : base(message)
    {
    }

    public InstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
