namespace RoutedNet.Tests.TestKit;

/// <summary>What a finished child process left behind.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the whole command, exit code and output when the process failed.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(
                $"`{Command}` exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        }
        return this;
    }
}
