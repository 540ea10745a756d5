namespace RoutedNet.BgpSpeaker.Rib.BestPath;

/// <summary>RFC 4271 §9.1.1: highest degree of preference. Every path in the RIB carries LOCAL_PREF (set on import for eBGP).</summary>
internal sealed class LocalPreferenceStep : IDecisionStep
{
    public DecisionReason Reason => DecisionReason.LocalPreference;

    public int Compare(RoutePath a, RoutePath b) =>
        (b.Attributes.LocalPref ?? 0).CompareTo(a.Attributes.LocalPref ?? 0);
}
