using System.Text.Json.Nodes;
using RoutedNet.Datastore.Tests.Crds;
using RoutedNet.Tests.Interop.KubeApi;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// The real helm (the pinned version, <see cref="KubeTools"/>) rendering and linting
/// charts/routednet offline with a values file, as `helm template`/`helm lint` would for a user:
/// release "routednet" in kube-system unless told otherwise.
/// </summary>
public static class ChartRender
{
    public const string Release = "routednet";

    public static string ChartDirectory => Path.Combine(RepoPaths.Root, "charts", "routednet");

    /// <summary>`helm template` with <paramref name="values"/> (YAML); the process result as it is.</summary>
    public static ProcessResult Template(string values, string ns = "kube-system", params string[] extra) =>
        WithValues(values, file => Proc.Run(KubeTools.Helm, ["template", Release, ChartDirectory, "--namespace", ns, "--values", file, .. extra]));

    /// <summary>`helm lint --strict` with <paramref name="values"/>.</summary>
    public static ProcessResult Lint(string values) =>
        WithValues(values, file => Proc.Run(KubeTools.Helm, "lint", "--strict", ChartDirectory, "--namespace", "kube-system", "--values", file));

    /// <summary>Every object `helm template` renders, as the API server would read it; a failed render fails the test with helm's message.</summary>
    public static IReadOnlyList<JsonObject> Objects(string values, string ns = "kube-system")
    {
        var result = Template(values, ns);
        Assert.True(result.ExitCode == 0, $"helm template failed: {result.Stderr}");
        return YamlJson.ReadAll(result.Stdout).Select(o => o.AsObject()).ToList();
    }

    public static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        Assert.Single(objects, o => (string?)o["kind"] == kind && (string?)o["metadata"]?["name"] == name);

    private static ProcessResult WithValues(string values, Func<string, ProcessResult> run)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rnt-chart-values-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, values);
        try
        {
            return run(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
