using System.Security.Cryptography;

namespace RoutedNet.Tests.TestKit;

/// <summary>
/// A network namespace made for one test (`rnt-` + random, so parallel tests and the host's own
/// namespaces never meet) and deleted in Dispose together with every veth created through it.
/// </summary>
public sealed class NetNs : IDisposable
{
    public string Name { get; }

    /// <summary>The bind-mount path runtimes pass as CNI_NETNS.</summary>
    public string Path => $"/run/netns/{Name}";

    private NetNs(string name) => Name = name;

    public static NetNs Create(string prefix = "rnt")
    {
        Root.Require();
        var name = $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        Proc.Check("ip", "netns", "add", name);
        var ns = new NetNs(name);
        ns.Exec("ip", "link", "set", "lo", "up").EnsureSuccess();
        return ns;
    }

    /// <summary>Runs a command inside the namespace (`ip netns exec`).</summary>
    public ProcessResult Exec(string file, params string[] args) =>
        Proc.Run("ip", ["netns", "exec", Name, file, .. args]);

    public ProcessResult Check(string file, params string[] args) => Exec(file, args).EnsureSuccess();

    /// <summary>
    /// Connects this namespace to <paramref name="other"/> with a veth pair, addresses optional
    /// (CIDR notation, e.g. "172.18.0.2/16"). Interface names must be ≤ 15 bytes.
    /// </summary>
    public void Link(string localIf, NetNs other, string otherIf, string? localCidr = null, string? otherCidr = null)
    {
        Check("ip", "link", "add", localIf, "type", "veth", "peer", "name", otherIf, "netns", other.Name);
        Check("ip", "link", "set", localIf, "up");
        other.Check("ip", "link", "set", otherIf, "up");
        if (localCidr is not null)
        {
            Check("ip", "addr", "add", localCidr, "dev", localIf);
        }
        if (otherCidr is not null)
        {
            other.Check("ip", "addr", "add", otherCidr, "dev", otherIf);
        }
    }

    /// <summary>Deleting the namespace destroys its veths (and their peers elsewhere).</summary>
    public void Dispose() => Proc.Run("ip", "netns", "delete", Name);
}
