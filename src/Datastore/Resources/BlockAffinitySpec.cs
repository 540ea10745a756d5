namespace RoutedNet.Datastore.Resources;

public sealed record BlockAffinitySpec
{
    public const string StatePending = "pending";
    public const string StateConfirmed = "confirmed";
    public const string StatePendingDeletion = "pendingDeletion";

    public string Node { get; init => field = value ?? ""; } = "";

    public string Cidr { get; init => field = value ?? ""; } = "";

    /// <summary><see cref="StatePending"/>, <see cref="StateConfirmed"/> or <see cref="StatePendingDeletion"/>.</summary>
    public string State { get; init => field = value ?? StatePending; } = StatePending;

    public bool Deleted { get; init; }
}
