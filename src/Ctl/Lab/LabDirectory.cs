using System.Text.Json;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The lab's directory (default /run/routednet-lab: tmpfs, gone at reboot like the namespaces):
/// lab.json (the state), store.db (the shared sqlite datastore), node sockets and logs, cni/ and tor/.
/// `up` marks a directory it made or found empty with <see cref="MarkerName"/>, and only a marked
/// directory is ever removed: `--lab-dir` naming any other directory (a typo, a home directory)
/// must never end in a recursive delete.
/// </summary>
internal sealed class LabDirectory(string path)
{
    public const string Default = "/run/routednet-lab";

    /// <summary>The file that makes a directory the lab's own.</summary>
    public const string MarkerName = ".routednet-lab";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string StateFile => Combine("lab.json");

    private string Marker => Combine(MarkerName);

    /// <summary>Marked by `lab up`: everything in it is the lab's.</summary>
    public bool IsOurs => File.Exists(Marker);

    /// <summary>Missing, or there but holding nothing (e.g. made by mktemp for the lab).</summary>
    public bool IsAbsentOrEmpty => !Directory.Exists(Path) || !Directory.EnumerateFileSystemEntries(Path).Any();

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Makes the directory the lab's: new or empty directories only, or one already marked. Its
    /// mode stays the default: FRR as the router runs as user frr in tor/ below it (the store and
    /// the sockets in it are root-only files of their own).
    /// </summary>
    public void Claim()
    {
        if (IsOurs)
        {
            return;
        }
        if (!IsAbsentOrEmpty)
        {
            throw new CtlException($"{Path} is not empty and not a lab directory (no {MarkerName}): give --lab-dir a new or empty directory (a lab made by an older routednetctl: remove it by hand)");
        }
        Directory.CreateDirectory(Path);
        File.WriteAllText(Marker, "made by `routednetctl lab up`; `routednetctl lab down` removes this directory\n");
    }

    /// <summary>Removes the directory if it is the lab's; says so (false) when it is not.</summary>
    public bool Remove()
    {
        if (!IsOurs)
        {
            return IsAbsentOrEmpty;
        }
        Directory.Delete(Path, recursive: true);
        return true;
    }

    public LabState? TryLoad()
    {
        if (!File.Exists(StateFile))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(StateFile), LabJsonContext.Default.LabState);
        }
        catch (JsonException e)
        {
            throw new CtlException($"{StateFile} is not a lab state file: {e.Message}", e);
        }
    }

    public LabState Load() => TryLoad() ?? throw new CtlException($"no lab in {Path} (run `routednetctl lab up` or ./lab.sh up)");

    /// <summary>Written to a temporary file and renamed: a crash never leaves half a state file.</summary>
    public void Save(LabState state)
    {
        Claim();
        var temporary = StateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, LabJsonContext.Default.LabState));
        File.Move(temporary, StateFile, overwrite: true);
    }
}
