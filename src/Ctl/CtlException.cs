namespace RoutedNet.Ctl;

/// <summary>A user-facing failure: printed as "error: MESSAGE" on stderr, exit code <see cref="ExitCode"/>.</summary>
internal sealed class CtlException : Exception
{
    /// <summary>1: the command found a problem; 2: usage, input or configuration error; 3: datastore or agent unreachable.</summary>
    public int ExitCode { get; init; } = 1;

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
