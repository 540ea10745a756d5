namespace RoutedNet.Datastore.Resources;

/// <summary>
/// One rule of a policy (Calico v3 Rule): every field given must match. <see cref="Source"/> and
/// <see cref="Destination"/> describe the packet's two ends whatever the rule's direction.
/// </summary>
public sealed record PolicyRule
{
    public const string ActionAllow = "Allow";
    public const string ActionDeny = "Deny";
    public const string ActionPass = "Pass";
    public const string ActionLog = "Log";

    public static readonly IReadOnlyList<string> Actions = [ActionAllow, ActionDeny, ActionPass, ActionLog];

    /// <summary>Allow, Deny, Pass or Log.</summary>
    public string Action { get; init => field = value ?? ""; } = "";

    /// <summary>4 or 6; null matches both.</summary>
    public int? IpVersion { get; init; }

    /// <summary>TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a number 1–255.</summary>
    public IntOrString? Protocol { get; init; }

    public IntOrString? NotProtocol { get; init; }

    /// <summary>ICMP type and code; with protocol ICMP or ICMPv6.</summary>
    public IcmpFields? Icmp { get; init; }

    public IcmpFields? NotICMP { get; init; }

    public EntityRule? Source { get; init; }

    public EntityRule? Destination { get; init; }
}
