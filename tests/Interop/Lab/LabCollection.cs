namespace RoutedNet.Interop.Lab;

/// <summary>Each lab is a dozen namespaces and four daemons: one at a time keeps a 2-core CI machine from timing out.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LabCollection
{
    public const string Name = "Lab";
}
