using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>
/// One queued write of a <see cref="StoreTransaction"/>, with the codec of its kind.
/// <paramref name="Force"/>: a delete that goes ahead although the object is in use.
/// </summary>
internal sealed record TransactionOp(
    WriteOpType Type,
    string Kind,
    string Name,
    Resource? Resource,
    string? ResourceVersion,
    IResourceCodec Codec,
    bool Force = false);
