using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>The one rule for a list of ADD-PATH Path Identifiers beside a prefix list: none at all, or one per prefix.</summary>
internal static class PathIds
{
    public static void Require(ImmutableArray<uint> pathIds, int prefixes, string parameter)
    {
        if (!pathIds.IsEmpty && pathIds.Length != prefixes)
        {
            throw new ArgumentException($"{pathIds.Length} path identifiers for {prefixes} prefixes; give one per prefix or none", parameter);
        }
    }
}
