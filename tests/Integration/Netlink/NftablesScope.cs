using RoutedNet.Netlink.Nftables;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// A fresh namespace ("rnnft-…") with an <see cref="NftablesHandle"/> in it, deleted in Dispose with
/// its whole ruleset. The real `nft` (Debian nftables 1.0.6) is the judge of what the kernel holds.
/// </summary>
public sealed class NftablesScope : IDisposable
{
    public NftablesScope()
    {
        Tools.Require("/usr/sbin/nft", "nftables");
        Tools.Require("/usr/sbin/ip", "iproute2");
        Ns = NetNs.Create("rnnft");
        Handle = NftablesHandle.OpenNamespace(Ns.Path);
    }

    public NetNs Ns { get; }

    public NftablesHandle Handle { get; }

    /// <summary>`nft ARGS` inside the namespace; its output, or an exception with its stderr.</summary>
    public string Nft(params string[] args) => Ns.Check("/usr/sbin/nft", args).Stdout;

    /// <summary>`nft -f` of <paramref name="text"/> inside the namespace.</summary>
    public void NftFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Ns.Name}.nft");
        File.WriteAllText(path, text);
        try
        {
            Nft("-f", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        Handle.Dispose();
        Ns.Dispose();
    }
}
