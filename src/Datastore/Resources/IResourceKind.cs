using System.Text.Json.Serialization.Metadata;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// What the store needs to know about a kind without reflection (the CNI binary is NativeAOT):
/// its name and its source-generated JSON contract.
/// </summary>
public interface IResourceKind<TSelf>
    where TSelf : Resource, IResourceKind<TSelf>
{
    static abstract string KindName { get; }

    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    /// <summary>
    /// Whether objects of the kind live in a namespace: the store then keys them "NAMESPACE/NAME"
    /// (<see cref="StoreKeys"/>), so that x/allow and y/allow are two objects.
    /// </summary>
    static virtual bool IsNamespaced => false;
}
