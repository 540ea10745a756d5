namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>A change of a session's state, with the diagnostic the local side then sends.</summary>
public readonly record struct BfdTransition(BfdState From, BfdState To, BfdDiagnostic Diagnostic)
{
    /// <summary>The path was up and is now down: what may take a BGP session down. A session that never came up never does.</summary>
    public bool IsFailure => From == BfdState.Up && To is BfdState.Down or BfdState.AdminDown;
}
