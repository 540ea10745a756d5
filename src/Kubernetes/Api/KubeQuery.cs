namespace RoutedNet.Kubernetes.Api;

/// <summary>What a list or watch selects: label and field selectors (API syntax) and a namespace.</summary>
public sealed record KubeQuery(string? LabelSelector = null, string? FieldSelector = null, string? Namespace = null)
{
    public static readonly KubeQuery All = new();

    internal string Parameters()
    {
        var query = "";
        if (LabelSelector is not null)
        {
            query += "&labelSelector=" + Uri.EscapeDataString(LabelSelector);
        }
        if (FieldSelector is not null)
        {
            query += "&fieldSelector=" + Uri.EscapeDataString(FieldSelector);
        }
        return query;
    }
}
