using System.Globalization;
using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// A value YAML may give as a number or a string, as Kubernetes' intstr and Calico's numorstring:
/// a port (<c>80</c>, <c>"8080:8090"</c>, <c>serve-80-tcp</c>) or a protocol (<c>TCP</c>, <c>6</c>).
/// Written back the way it was read, so apply → get round-trips.
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed record IntOrString
{
    public IntOrString(int value)
    {
        IntValue = value;
    }

    public IntOrString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringValue = value;
    }

    public int? IntValue { get; }

    public string? StringValue { get; }

    public bool IsInt => IntValue is not null;

    public static implicit operator IntOrString(int value) => new(value);

    public static implicit operator IntOrString(string value) => new(value);

    public static IntOrString FromInt32(int value) => new(value);

    public static IntOrString FromString(string value) => new(value);

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue!;
}
