using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

public sealed partial class ApiHandler
{
    /// <summary>
    /// Custom resources against their CRD's schema and rules; fieldValidation=Strict makes an
    /// unknown field an error instead of being pruned (kube-apiserver's default for CRs).
    /// </summary>
    private static void Validate(ResourceType type, JsonObject obj, JsonObject? old, IQueryCollection query)
    {
        var mode = query["fieldValidation"].ToString();
        if (mode.Length > 0 && mode is not ("Strict" or "Warn" or "Ignore"))
        {
            throw Status.BadRequest($"fieldValidation parameter unsupported: {mode}");
        }
        if (type.Compiled is null)
        {
            return;
        }
        var errors = new List<FieldError>();
        type.Compiled.Validate(obj, old, mode == "Strict", errors);
        if (errors.Count > 0)
        {
            var strictOnly = errors.All(e => e.Message == "field not declared in schema");
            if (strictOnly)
            {
                throw Status.BadRequest("strict decoding error: " + string.Join(", ", errors.Select(e => $"unknown field \"{e.Field}\"")));
            }
            throw Status.Invalid(type, ObjectRules.Name(obj) ?? "", errors);
        }
    }
}
