using System.Text.Json;

namespace RoutedNet.Ctl.Lab;

/// <summary>
/// The lab's directory (default /run/routednet-lab: tmpfs, gone at reboot like the namespaces):
/// lab.json (the state), store.db (the shared sqlite datastore), node sockets and logs, cni/ and tor/.
/// </summary>
internal sealed class LabDirectory(string path)
{
    public const string Default = "/run/routednet-lab";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string StateFile => Combine("lab.json");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

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
        Directory.CreateDirectory(Path);
        var temporary = StateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state, LabJsonContext.Default.LabState));
        File.Move(temporary, StateFile, overwrite: true);
    }
}
