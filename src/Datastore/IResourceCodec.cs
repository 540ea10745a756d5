using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>Kind-erased JSON for one kind, so that mixed-kind transactions and watches stay typed underneath.</summary>
internal interface IResourceCodec
{
    /// <summary>Whether the kind is namespaced: its store keys are "NAMESPACE/NAME".</summary>
    bool Namespaced { get; }

    byte[] Serialize(Resource resource);

    Resource Deserialize(byte[] json);
}
