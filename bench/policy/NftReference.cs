using System.Diagnostics;
using System.Globalization;

namespace RoutedNet.PolicyBench;

/// <summary>
/// The same-run reference: `nft -f` (one exec per change, as an agent shelling out runs it, e.g.
/// Calico's knftables) applying a delta to a copy of the agent's table in a namespace of its own.
/// A shell inside that namespace runs each script and times the exec with EPOCHREALTIME, so the
/// figure holds nft's fork, exec and work, not a namespace switch.
/// </summary>
internal sealed class NftReference : IDisposable
{
    private readonly Process _shell;
    private readonly string _dir = Directory.CreateTempSubdirectory("rn-policy-bench-").FullName;
    private int _scripts;

    public NftReference(string netns)
    {
        const string Loop = "while read -r f; do t0=${EPOCHREALTIME/./}; if nft -f \"$f\" 2>\"$f.err\"; then echo $(( ${EPOCHREALTIME/./} - t0 )); else echo \"failed: $(head -3 \"$f.err\" | tr '\\n' ' ')\"; fi; done";
        _shell = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", netns, "bash", "-c", Loop])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
    }

    /// <summary>The agent's table as `nft list table` prints it (run in this process's namespace, the node's).</summary>
    public static string List()
    {
        using var nft = Process.Start(new ProcessStartInfo("nft", ["list", "table", "inet", "routednet"]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var text = nft.StandardOutput.ReadToEnd();
        nft.WaitForExit();
        return nft.ExitCode == 0 ? text : throw new InvalidOperationException("nft list table inet routednet failed in the node's namespace");
    }

    /// <summary>Loads the listing itself (the table as a file) into the (empty) reference namespace; ms.</summary>
    public double LoadFull(string listing) => Apply(listing);

    /// <summary>Runs <paramref name="script"/> with `nft -f` in the reference namespace; ms.</summary>
    public double Apply(string script)
    {
        var path = Path.Combine(_dir, $"delta-{_scripts++}.nft");
        File.WriteAllText(path, script);
        _shell.StandardInput.WriteLine(path);
        _shell.StandardInput.Flush();
        var answer = _shell.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the reference shell ended");
        return long.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            ? micros / 1000.0
            : throw new InvalidOperationException($"nft -f {path} in the reference namespace {answer}");
    }

    public void Dispose()
    {
        _shell.StandardInput.Close();
        _shell.WaitForExit(5000);
        _shell.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
