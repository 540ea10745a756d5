namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// <see cref="ISysctls"/> over /proc/sys. /proc/sys/net shows the network namespace of the
/// process, which for the agent is the namespace it was started in.
/// </summary>
public sealed class ProcSysctls : ISysctls
{
    private const string Root = "/proc/sys/";

    public string? Read(string name)
    {
        var path = PathOf(name);
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(string name, string value) => File.WriteAllText(PathOf(name), value);

    private static string PathOf(string name)
    {
        if (name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"'{name}' is not a sysctl path", nameof(name));
        }
        return Root + name;
    }
}
