using System.Text.Json.Serialization;

namespace RoutedNet.Datastore.Resources;

/// <summary>
/// The `apiVersion`/`kind`/`metadata`/`spec` envelope shared by every resource. Concrete kinds
/// are sealed records that add a typed <c>Spec</c> and implement <see cref="IResourceKind{TSelf}"/>.
/// </summary>
public abstract record Resource
{
    public const string Group = "routednet.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;

    /// <summary>routednet.io/v1 for our kinds; a kind stored in Kubernetes' own shape (networking.k8s.io/v1 NetworkPolicy) says so.</summary>
    [JsonPropertyOrder(-3)]
    public virtual string ApiVersion => GroupVersion;

    [JsonPropertyOrder(-2)]
    public abstract string Kind { get; }

    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init => field = value ?? new(); } = new();

    /// <summary>Shorthand for <c>Metadata.Name</c>.</summary>
    [JsonIgnore]
    public string Name => Metadata.Name;
}
