using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Datastore.Tests.Crds;

/// <summary>One CustomResourceDefinition of charts/routednet/crds/, read as the API server reads it.</summary>
public sealed class CrdFile
{
    private CrdFile(string path, JsonObject crd)
    {
        Path = path;
        Crd = crd;
    }

    public static string Directory => System.IO.Path.Combine(RepoPaths.Root, "charts", "routednet", "crds");

    public string Path { get; }

    public JsonObject Crd { get; }

    public JsonObject Spec => Crd["spec"]!.AsObject();

    public JsonObject Names => Spec["names"]!.AsObject();

    /// <summary>The one version's entry (RoutedNet serves only v1).</summary>
    public JsonObject Version => Spec["versions"]!.AsArray().Single()!.AsObject();

    public JsonObject Schema => Version["schema"]!["openAPIV3Schema"]!.AsObject();

    /// <summary>The file for <paramref name="plural"/>, <c>PLURAL.routednet.io.yaml</c>.</summary>
    public static CrdFile Load(string plural)
    {
        var path = System.IO.Path.Combine(Directory, $"{plural}.routednet.io.yaml");
        return new CrdFile(path, YamlJson.Read(File.ReadAllText(path))!.AsObject());
    }
}
