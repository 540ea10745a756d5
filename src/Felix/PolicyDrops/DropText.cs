namespace RoutedNet.Felix.PolicyDrops;

/// <summary>The words drops are reported in, by the API and by /metrics alike.</summary>
public static class DropText
{
    public static string Of(DropDirection direction) => direction == DropDirection.Egress ? "egress" : "ingress";

    public static string Of(DropReason reason) => reason switch
    {
        DropReason.Rule => "rule",
        DropReason.EndOfTier => "end-of-tier",
        DropReason.Revoked => "revoked",
        _ => "unknown-endpoint",
    };
}
