namespace RoutedNet.Felix.Dataplane;

/// <summary>
/// Kernel parameters of the agent's namespace, by path under /proc/sys (`net/ipv4/ip_forward`):
/// slashes, not dots, because interface names may contain dots.
/// </summary>
public interface ISysctls
{
    /// <summary>The current value, or null when the key does not exist (e.g. the interface is gone).</summary>
    string? Read(string name);

    /// <summary>Writes the value; throws <see cref="IOException"/> when the kernel refuses.</summary>
    void Write(string name, string value);
}
