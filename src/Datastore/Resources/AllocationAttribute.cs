namespace RoutedNet.Datastore.Resources;

/// <summary>The handle that holds an allocation and what it is for (namespace, pod, node, container, interface).</summary>
public sealed record AllocationAttribute
{
    public string? HandleId { get; init; }

    public IReadOnlyDictionary<string, string>? Secondary { get; init; }
}
