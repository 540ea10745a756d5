using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Storage;

/// <summary>One page of a list: its items, the RV it shows, the token for the next page.</summary>
public sealed record ListPage(List<JsonObject> Items, long ResourceVersion, string? Continue);
