namespace RoutedNet.BgpFuzz;

/// <summary>How one case ended; every one of these is a designed result, anything else is a finding.</summary>
public enum Outcome
{
    NeedMoreData,
    HeaderError,
    SessionReset,
    TreatAsWithdraw,
    AttributeDiscard,
    Clean,
}
