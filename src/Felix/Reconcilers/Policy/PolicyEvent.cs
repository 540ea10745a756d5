namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>Messages to the policy loop.</summary>
public abstract record PolicyEvent
{
    /// <summary>New inputs from the datastore loop; <paramref name="Received"/> is a Stopwatch timestamp for the latency metric.</summary>
    public sealed record InputsChanged(PolicyInputs Inputs, long Received) : PolicyEvent;

    /// <summary>The datastore moved to <paramref name="Revision"/> without changing the inputs last handed over.</summary>
    public sealed record RevisionSeen(long Revision) : PolicyEvent;
}
