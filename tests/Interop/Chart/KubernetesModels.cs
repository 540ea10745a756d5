using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Tests.Interop.Chart;

/// <summary>
/// npm kubernetes-models 5.1.0 (validate/validate.mjs; installed by scripts/install-deps.sh from
/// validate/package-lock.json): the Kubernetes OpenAPI's own types, required fields and enums for
/// every built-in object. It accepts unknown fields; <see cref="KubernetesSchemas"/> refuses those.
/// </summary>
public static class KubernetesModels
{
    private static string Directory => Path.Combine(RepoPaths.Root, "tests", "Interop", "Chart", "validate");

    /// <summary>"KIND NAME: error" for each invalid object; empty when all are valid.</summary>
    public static IReadOnlyList<string> Errors(IReadOnlyList<JsonObject> objects)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", "kubernetes-models", "package.json")))
        {
            throw new InvalidOperationException($"npm kubernetes-models is not installed in {Directory}/node_modules: run scripts/install-deps.sh (./test.sh does)");
        }
        var input = new JsonArray(objects.Select(o => (JsonNode)o.DeepClone()).ToArray()).ToJsonString();
        var result = Proc.RunAsync("node", [Path.Combine(Directory, "validate.mjs")], input).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"node validate.mjs failed ({result.ExitCode}): {result.Stderr}");
        }
        return JsonNode.Parse(result.Stdout)!.AsArray().Select(e => (string)e!).ToList();
    }
}
