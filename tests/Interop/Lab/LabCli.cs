using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Lab;

/// <summary>The published `routednetctl` as the lab's user runs it: `lab ...` (on one lab directory) and the node commands.</summary>
public sealed class LabCli(string labDir)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public string LabDir { get; } = labDir;

    public static Task<ProcessResult> RunAsync(params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), args, timeout: Timeout);

    public static async Task<string> CheckAsync(params string[] args) => (await RunAsync(args)).EnsureSuccess().Stdout;

    /// <summary>`routednetctl lab VERB ARGS --lab-dir DIR`, which must succeed; its stdout.</summary>
    public Task<string> LabAsync(params string[] args) => CheckAsync(["lab", .. args, "--lab-dir", LabDir]);

    public async Task<LabState> StatusAsync() => LabState.Parse(await LabAsync("status", "-o", "json"));

    /// <summary>`routednetctl routes` on one node: exit code and the JSON report.</summary>
    public static Task<ProcessResult> RoutesAsync(LabNode node) => RunAsync("routes", "--node-socket", node.ApiSocket, "-o", "json");
}
