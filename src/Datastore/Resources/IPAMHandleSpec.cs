namespace RoutedNet.Datastore.Resources;

public sealed record IPAMHandleSpec
{
    public string HandleId { get; init => field = value ?? ""; } = "";

    /// <summary>Block CIDR → how many addresses of that block this handle holds.</summary>
    public IReadOnlyDictionary<string, int> Block { get; init => field = value ?? new Dictionary<string, int>(); } = new Dictionary<string, int>();

    public bool Deleted { get; init; }
}
