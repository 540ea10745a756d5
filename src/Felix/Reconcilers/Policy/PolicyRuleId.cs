using System.Globalization;
using System.Text;

namespace RoutedNet.Felix.Reconcilers.Policy;

/// <summary>
/// The id every nft rule of one policy rule carries as its comment: "POLICYID#i0" (ingress rule 0)
/// or "POLICYID#e2" (egress rule 2). Drops, traces and the per-rule counters map it back. nft keeps
/// at most 127 comment bytes, so a longer id loses its front, never the "#i0" the readers rely on.
/// </summary>
public readonly record struct PolicyRuleId(string Policy, bool Ingress, int Index)
{
    /// <summary>"ID#i0" (ingress rule 0) or "ID#e2", cut to nft's 127 comment bytes.</summary>
    public static string Format(string policyId, bool ingress, int index)
    {
        var text = $"{policyId}#{(ingress ? 'i' : 'e')}{index.ToString(CultureInfo.InvariantCulture)}";
        while (Encoding.UTF8.GetByteCount(text) > 127)
        {
            text = text[1..];
        }
        return text;
    }

    /// <summary>Reads a rule comment back; false for any other comment (a tier's end, an unknown interface).</summary>
    public static bool TryParse(string? comment, out PolicyRuleId id)
    {
        id = default;
        var hash = comment?.LastIndexOf('#') ?? -1;
        if (hash <= 0 || hash + 2 > comment!.Length || comment[hash + 1] is not ('e' or 'i')
            || !int.TryParse(comment.AsSpan(hash + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }
        id = new PolicyRuleId(comment[..hash], comment[hash + 1] == 'i', index);
        return true;
    }

    public override string ToString() => Format(Policy, Ingress, Index);
}
