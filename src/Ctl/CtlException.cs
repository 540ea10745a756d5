namespace RoutedNet.Ctl;

/// <summary>A user-facing failure: printed as "error: MESSAGE" on stderr, exit code 1.</summary>
internal sealed class CtlException : Exception
{
    public CtlException(string message)
        : base(message)
    {
    }

    public CtlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CtlException()
    {
    }
}
