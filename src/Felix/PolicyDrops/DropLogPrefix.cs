namespace RoutedNet.Felix.PolicyDrops;

/// <summary>
/// The NFLOG prefix a dropping rule tags its packets with, so the agent can say which rule
/// dropped without a lookup per packet: "rn:e:R:ID" = egress, Deny rule ID;
/// "rn:i:T:TIER" = ingress, end of TIER; "rn:i:U:" = ingress to an unknown interface;
/// "rn:e:C:" = egress of a revoked (cut) flow.
/// nft limits a prefix to 127 bytes: a longer id is cut at the end.
/// </summary>
public static class DropLogPrefix
{
    public const int MaxLength = 127;

    private const string Magic = "rn:";

    public static string Format(DropDirection direction, DropReason reason, string id)
    {
        // A long id (a 253-character policy name) is cut: the prefix still names the policy's start.
        var text = $"{Magic}{(direction == DropDirection.Egress ? 'e' : 'i')}:{ReasonLetter(reason)}:{id}";
        while (System.Text.Encoding.UTF8.GetByteCount(text) > MaxLength)
        {
            text = text[..^1];
        }
        return text;
    }

    /// <summary>False for a prefix some other rule (not ours) logged with.</summary>
    public static bool TryParse(string prefix, out DropDirection direction, out DropReason reason, out string id)
    {
        direction = default;
        reason = default;
        id = "";
        if (prefix is null || prefix.Length < Magic.Length + 4 || !prefix.StartsWith(Magic, StringComparison.Ordinal) || prefix[Magic.Length + 1] != ':' || prefix[Magic.Length + 3] != ':')
        {
            return false;
        }
        switch (prefix[Magic.Length])
        {
            case 'e': direction = DropDirection.Egress; break;
            case 'i': direction = DropDirection.Ingress; break;
            default: return false;
        }
        switch (prefix[Magic.Length + 2])
        {
            case 'R': reason = DropReason.Rule; break;
            case 'T': reason = DropReason.EndOfTier; break;
            case 'U': reason = DropReason.UnknownEndpoint; break;
            case 'C': reason = DropReason.Revoked; break;
            default: return false;
        }
        id = prefix[(Magic.Length + 4)..];
        return true;
    }

    private static char ReasonLetter(DropReason reason) => reason switch
    {
        DropReason.Rule => 'R',
        DropReason.EndOfTier => 'T',
        DropReason.Revoked => 'C',
        _ => 'U',
    };
}
