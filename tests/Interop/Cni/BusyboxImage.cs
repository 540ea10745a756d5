using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Cni;

/// <summary>
/// The pod/sandbox image, built offline: there is no registry here, so the single layer is the
/// static busybox from Debian's busybox-static, written as a docker-archive that both
/// `podman load` and `ctr images import` accept. Its command sleeps, which makes it a pause
/// container (the runtime kills the sandbox with SIGKILL on stop, so no signal handling needed).
/// </summary>
public static class BusyboxImage
{
    public const string Reference = "localhost/rnt-busybox:1";

    private const string BusyboxPath = "/bin/busybox";

    private const UnixFileMode Mode755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Writes the archive to <paramref name="path"/>.</summary>
    public static void WriteDockerArchive(string path)
    {
        Tools.Require(BusyboxPath, "busybox-static");
        var layer = BuildLayer();
        var layerDigest = Convert.ToHexStringLower(SHA256.HashData(layer));
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Cmd"] = new JsonArray("/bin/sleep", "2147483647") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray($"sha256:{layerDigest}") },
        }.ToJsonString());
        var configName = $"{Convert.ToHexStringLower(SHA256.HashData(config))}.json";
        var layerName = $"{layerDigest}/layer.tar";
        var manifest = Encoding.UTF8.GetBytes(new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(Reference),
            ["Layers"] = new JsonArray(layerName),
        }).ToJsonString());

        using var file = File.Create(path);
        using var archive = new TarWriter(file, TarEntryFormat.Pax);
        AddFile(archive, configName, config);
        AddFile(archive, layerName, layer);
        AddFile(archive, "manifest.json", manifest);
    }

    // bin/busybox plus the applet links the tests use (sh, sleep, ip for debugging by hand).
    private static byte[] BuildLayer()
    {
        using var stream = new MemoryStream();
        using (var layer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "dev/", "etc/", "proc/", "sys/", "tmp/" })
            {
                layer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = Mode755 });
            }
            layer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
            {
                Mode = Mode755,
                DataStream = new MemoryStream(File.ReadAllBytes(BusyboxPath)),
            });
            foreach (var applet in new[] { "sh", "sleep", "ip" })
            {
                layer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{applet}") { LinkName = "busybox", Mode = Mode755 });
            }
        }
        return stream.ToArray();
    }

    private static void AddFile(TarWriter archive, string name, byte[] content)
    {
        foreach (var dir in ParentDirectories(name))
        {
            archive.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = Mode755 });
        }
        archive.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = new MemoryStream(content),
        });
    }

    private static IEnumerable<string> ParentDirectories(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            yield return name[..(slash + 1)];
        }
    }
}
