namespace RoutedNet.Ctl;

/// <summary>
/// A user-facing failure: printed as one "error: MESSAGE" line on stderr, exit code
/// <see cref="ExitCode"/> (<see cref="CtlExitCode.Usage"/> unless the thrower says otherwise:
/// most of what the CLI itself refuses is a wrong argument or input).
/// </summary>
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

    public CtlException(CtlExitCode exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public CtlException()
    {
    }

    public CtlExitCode ExitCode { get; } = CtlExitCode.Usage;
}
