namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>Messages to the policy loop.</summary>
public abstract record PolicyEvent
{
    /// <summary>New inputs from the datastore loop; <paramref name="Received"/> is a Stopwatch timestamp for the latency metric.</summary>
    public sealed record InputsChanged(PolicyInputs Inputs, long Received) : PolicyEvent;
}
