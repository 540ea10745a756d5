namespace RoutedNet.Ctl;

/// <summary>
/// routednetctl's exit codes, the same for every command (README "Exit codes", `--help`).
/// <see cref="CtlFailure.ExitCodeOf"/> is the one place that maps a failure to one of them.
/// </summary>
internal enum CtlExitCode
{
    /// <summary>The command did what was asked and found nothing wrong.</summary>
    Ok = 0,

    /// <summary>The command ran and found a problem (route drift, leaked addresses, a failed ping) or could not do what was asked (not found, already exists, refused).</summary>
    Problem = 1,

    /// <summary>The command line, an input file or the configuration is wrong; nothing was done.</summary>
    Usage = 2,

    /// <summary>The datastore or the node agent could not be reached.</summary>
    Unreachable = 3,
}
