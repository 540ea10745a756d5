namespace RoutedNet.Felix.Hosting;

/// <summary>
/// The agent cannot start on this host as things are (e.g. the API socket's directory is not
/// writable), although its configuration is valid: exit code 1, which a supervisor retries, rather
/// than 2, which says "fix the configuration".
/// </summary>
public sealed class FatalStartException : Exception
{
    public FatalStartException()
    {
    }

    public FatalStartException(string message)
        : base(message)
    {
    }

    public FatalStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
