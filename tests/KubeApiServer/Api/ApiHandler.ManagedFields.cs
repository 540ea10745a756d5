using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    private static HashSet<string> ManagedBy(JsonObject current, string manager)
    {
        _ = (current, manager);
        return [];
    }

    private static void ManagedFieldsOnWrite(JsonObject next, JsonObject? current, IQueryCollection query, string? applyManager, string operation)
    {
        _ = (next, current, query, applyManager, operation);
    }
}
