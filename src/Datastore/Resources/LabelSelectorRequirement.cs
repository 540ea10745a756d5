namespace RoutedNet.Datastore.Resources;

/// <summary>One matchExpressions entry: key, operator In | NotIn | Exists | DoesNotExist, values (for In and NotIn).</summary>
public sealed record LabelSelectorRequirement
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    public string Key { get; init => field = value ?? ""; } = "";

    public string Operator { get; init => field = value ?? ""; } = "";

    public IReadOnlyList<string>? Values { get; init; }
}
