using System.Diagnostics;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Ipam;

/// <summary>
/// The published binaries as runtimes and operators run them: `routednet-ipam` (one process per
/// CNI call, a simulated node per NODE name) and `routednetctl`.
/// </summary>
internal static class IpamBinaries
{
    public const string Network = "net1";

    /// <summary>The handle `routednet-ipam` records for a container (NETWORK.CONTAINERID.IFNAME).</summary>
    public static string Handle(string containerId) => $"{Network}.{containerId}.eth0";

    public static Task<ProcessResult> CniAsync(string url, string command, string containerId, string node) =>
        Proc.RunAsync(RepoPaths.Binary("routednet-ipam"), [], Config(url, node), CniEnv(command, containerId));

    /// <summary>Starts a CNI call without waiting for it (to kill it mid-way).</summary>
    public static Process StartCni(string url, string command, string containerId, string node)
    {
        var psi = new ProcessStartInfo(RepoPaths.Binary("routednet-ipam"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in CniEnv(command, containerId))
        {
            psi.Environment[key] = value;
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start routednet-ipam");
        process.StandardInput.Write(Config(url, node));
        process.StandardInput.Close();
        return process;
    }

    public static Task<ProcessResult> CtlAsync(string url, params string[] args) =>
        Proc.RunAsync(RepoPaths.Binary("routednetctl"), ["--datastore", url, .. args]);

    /// <summary>Runs <paramref name="run"/> for every id, at most <paramref name="width"/> at once.</summary>
    public static async Task<T[]> RunBoundedAsync<T>(IEnumerable<int> ids, int width, Func<int, Task<T>> run)
    {
        using var gate = new SemaphoreSlim(width);
        return await Task.WhenAll(ids.Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                return await run(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static string Config(string url, string node) =>
        $$$"""{"cniVersion":"1.1.0","name":"{{{Network}}}","type":"routednet","datastore":"{{{url}}}","nodeName":"{{{node}}}","ipam":{"type":"routednet-ipam"}}""";

    private static Dictionary<string, string?> CniEnv(string command, string containerId) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/proc/self/ns/net",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = RepoPaths.OutBin,
    };
}
