namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// One field error (k8s.io/apimachinery/pkg/util/validation/field.Error): its cause reason
/// (FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueTypeInvalid,
/// FieldValueForbidden, FieldValueDuplicate, FieldValueTooLong) and the printed message.
/// </summary>
public sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field, string? detail = null) =>
        new("FieldValueRequired", field, "Required value" + (detail is null ? "" : ": " + detail));

    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {value}: {detail}");

    public static FieldError TypeInvalid(string field, string value, string detail) =>
        new("FieldValueTypeInvalid", field, $"Invalid value: {value}: {detail}");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> allowed) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {value}: supported values: {string.Join(", ", allowed)}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, "Forbidden: " + detail);

    public static FieldError Unknown(string field) =>
        new("FieldValueInvalid", field, "field not declared in schema");
}
