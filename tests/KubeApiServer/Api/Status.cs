using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// metav1.Status bodies and the error constructors of k8s.io/apimachinery/pkg/api/errors, with
/// kube-apiserver's message wording (clients and people match on reason and read the message).
/// </summary>
public static class Status
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        status["code"] = code;
        return status;
    }

    public static JsonObject Success(ResourceType type, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = Details(type, name, uid),
    };

    private static JsonObject Details(ResourceType type, string name, string? uid = null)
    {
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Plural;
        if (uid is not null)
        {
            details["uid"] = uid;
        }
        return details;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.Key} \"{name}\" not found", Details(type, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.Key} \"{name}\" already exists", Details(type, name));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.Key} \"{name}\": {why}", Details(type, name));

    public const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml");

    /// <summary>422 Invalid with one cause per field error, as field.ErrorList.ToAggregate prints them.</summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.Reason, ["message"] = error.Message, ["field"] = error.Field });
        }
        var kindGroup = type.Group.Length == 0 ? type.Kind : type.Kind + "." + type.Group;
        var text = errors.Count == 1
            ? errors[0].Field + ": " + errors[0].Message
            : "[" + string.Join(", ", errors.Select(e => e.Field + ": " + e.Message)) + "]";
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0)
        {
            details["group"] = type.Group;
        }
        details["kind"] = type.Kind;
        details["causes"] = causes;
        return new ApiException(422, "Invalid", $"{kindGroup} \"{name}\" is invalid: {text}", details);
    }
}
