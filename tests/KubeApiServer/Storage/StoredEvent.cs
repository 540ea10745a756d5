using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Storage;

/// <summary>
/// One change in a resource's history: the object after it (for DELETED, its final state carrying
/// the deletion's resourceVersion) and before it, so selector-filtered watches can turn a label
/// change into ADDED/DELETED and continue tokens can rebuild the list as it was at their RV.
/// </summary>
public sealed record StoredEvent(long Rv, string Type, string Key, JsonObject Object, JsonObject? Previous);
