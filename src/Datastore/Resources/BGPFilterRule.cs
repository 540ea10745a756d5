namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One rule of a <see cref="BGPFilter"/>: it matches a route whose prefix passes
/// <see cref="MatchOperator"/> against <see cref="Cidr"/> (both or neither; neither matches every
/// prefix), whose length lies in <see cref="PrefixLength"/>, and with <see cref="Source"/>
/// <c>RemotePeers</c> (export rules only) that this node learned from a peer rather than
/// originated; <see cref="Action"/> then accepts or rejects it.
/// </summary>
public sealed record BGPFilterRule
{
    public const string ActionAccept = "Accept";
    public const string ActionReject = "Reject";
    public const string Equal = "Equal";
    public const string NotEqual = "NotEqual";
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string SourceRemotePeers = "RemotePeers";

    public string? Cidr { get; init; }

    /// <summary>Equal (that prefix), NotEqual, In (that prefix or one inside it), NotIn.</summary>
    public string? MatchOperator { get; init; }

    public BGPFilterPrefixLength? PrefixLength { get; init; }

    /// <summary>RemotePeers: only routes learned from peers (export rules only).</summary>
    public string? Source { get; init; }

    /// <summary>Accept or Reject.</summary>
    public string Action { get; init => field = value ?? ""; } = "";
}
