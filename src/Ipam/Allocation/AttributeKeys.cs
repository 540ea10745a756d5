namespace RoutedNet.Ipam.Allocation;

/// <summary>Keys of the attributes stored with each allocation (AllocationAttribute.Secondary).</summary>
public static class AttributeKeys
{
    public const string Namespace = "namespace";
    public const string Pod = "pod";
    public const string Node = "node";
    public const string ContainerId = "containerID";
    public const string Interface = "interface";
}
