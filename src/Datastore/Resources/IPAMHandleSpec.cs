namespace RoutedNet.Datastore.Resources;

public sealed record IPAMHandleSpec
{
    public string HandleId { get; init; } = "";

    /// <summary>Block CIDR → how many addresses of that block this handle holds.</summary>
    public IReadOnlyDictionary<string, int> Block { get; init; } = new Dictionary<string, int>();

    public bool Deleted { get; init; }
}
