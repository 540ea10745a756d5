using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore;

/// <summary>One queued write of a <see cref="StoreTransaction"/>, with the codec of its kind.</summary>
internal sealed record TransactionOp(
    WriteOpType Type,
    string Kind,
    string Name,
    Resource? Resource,
    string? ResourceVersion,
    IResourceCodec Codec);
