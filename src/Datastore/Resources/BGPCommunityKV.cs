namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A named community of BGPConfiguration <c>communities</c> (Calico's CommunityKVPair):
/// <see cref="Value"/> is standard "AS:N" (RFC 1997, both 0–65535) or large "AS:N:M" (RFC 8092,
/// each 0–4294967295); prefixAdvertisements refer to it by <see cref="Name"/>.
/// </summary>
public sealed record BGPCommunityKV
{
    public string Name { get; init => field = value ?? ""; } = "";

    public string Value { get; init => field = value ?? ""; } = "";
}
