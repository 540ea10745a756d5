using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Registry;

/// <summary>
/// One served resource (group, version, plural): a built-in kind or one registered by a
/// CustomResourceDefinition. <see cref="Key"/> ("pods", "ippools.routednet.io") is the qualified
/// resource name kube-apiserver prints in its messages and RBAC matches on (group + plural).
/// </summary>
public sealed class ResourceType
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public bool HasStatus { get; init; }
    public bool HasGeneration { get; init; }
    public bool IsCustom { get; init; }
    public string ListKind => Kind + "List";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Extra field selectors the kind supports beyond metadata.name/namespace.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    /// <summary>The CRD's openAPIV3Schema for this version (null: built-in, not validated).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The CRD's x-kubernetes-validations rules, compiled at CRD creation.</summary>
    public Validation.CompiledSchema? Compiled { get; init; }

    /// <summary>The CRD version's additionalPrinterColumns (kubectl get's columns, served as a Table).</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>Extra subresources besides status (e.g. serviceaccounts/token).</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    public string Key => Group.Length == 0 ? Plural : Plural + "." + Group;
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;
}
