using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// batch/v1 Job on create, as kube-apiserver's job strategy does it (PrepareForCreate, defaults,
/// generateSelector, validation): the status sent is dropped; parallelism and completions default
/// to 1 (both unset), backoffLimit to 6, completionMode NonIndexed, suspend false,
/// podReplacementPolicy TerminatingOrFailed; unless spec.manualSelector, the pod template gets the
/// labels batch.kubernetes.io/controller-uid and batch.kubernetes.io/job-name (and the legacy
/// controller-uid and job-name) and the selector matches the uid; a template whose restartPolicy
/// is not OnFailure or Never is 422.
/// </summary>
public static class JobRules
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    public static bool Applies(ResourceType type) => type.Group == "batch" && type.Plural == "jobs";

    public static void PrepareCreate(ResourceType type, JsonObject job, string name, string uid)
    {
        job["status"] = new JsonObject();
        if (job["spec"] is not JsonObject spec || spec["template"] is not JsonObject template)
        {
            throw Status.Invalid(type, name, [FieldError.Required("spec.template", null)]);
        }
        var restartPolicy = (string?)template["spec"]?["restartPolicy"];
        if (restartPolicy is not ("OnFailure" or "Never"))
        {
            throw Status.Invalid(type, name, [restartPolicy is null
                ? FieldError.Required("spec.template.spec.restartPolicy", "valid values: \"OnFailure\", \"Never\"")
                : FieldError.NotSupported("spec.template.spec.restartPolicy", "\"" + restartPolicy + "\"", ["\"OnFailure\"", "\"Never\""])]);
        }
        if (spec["parallelism"] is null && spec["completions"] is null)
        {
            spec["parallelism"] = 1;
            spec["completions"] = 1;
        }
        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        if (spec["podFailurePolicy"] is null)
        {
            spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
        }
        if ((bool?)spec["manualSelector"] == true)
        {
            return;
        }
        var metadata = template["metadata"] as JsonObject ?? new JsonObject();
        template["metadata"] = metadata;
        var labels = metadata["labels"] as JsonObject ?? new JsonObject();
        metadata["labels"] = labels;
        labels[ControllerUidLabel] = uid;
        labels[JobNameLabel] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ControllerUidLabel] = uid } };
    }
}
