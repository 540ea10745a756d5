using System.Formats.Tar;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Image;

/// <summary>
/// The image's contract (DESIGN.md "Contracts": the image), read from the OCI archive itself: its
/// reference, its ENTRYPOINT, and a layer holding exactly the four programs (two files, two hard
/// links) and the shared libraries they load; no shell, nothing else.
/// </summary>
public sealed class ImageLayoutTests
{
    private static readonly string[] Libraries =
    [
        "lib64/ld-linux-x86-64.so.2",
        "usr/lib/x86_64-linux-gnu/libc.so.6",
        "usr/lib/x86_64-linux-gnu/libm.so.6",
        "usr/lib/x86_64-linux-gnu/libssl.so.3",
        "usr/lib/x86_64-linux-gnu/libcrypto.so.3",
    ];

    private readonly ImageArchive _image = ImageArchive.Read();

    [Fact]
    public void Reference_RoutednetRepositoryTaggedWithTheBinariesVersion()
    {
        var version = Proc.Check(RepoPaths.Binary("routednet-node"), "--version").Stdout.Trim();
        var tag = Environment.GetEnvironmentVariable("ROUTEDNET_IMAGE_TAG") ?? version.Split('+')[0];

        Assert.Equal($"docker.io/routednet/routednet:{tag}", _image.Reference);
    }

    [Fact]
    public void Config_EntrypointIsTheAgentRunAsRoot()
    {
        Assert.Equal(["/usr/bin/routednet-node"], _image.Config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.False(_image.Config.TryGetProperty("Cmd", out var cmd) && cmd.ValueKind == JsonValueKind.Array && cmd.GetArrayLength() > 0);
        Assert.Equal("0", _image.Config.GetProperty("User").GetString());
    }

    [Fact]
    public void Layer_ProgramsAndTheirLibrariesOnly()
    {
        var files = _image.Entries.Where(e => e.Type is not TarEntryType.Directory).Select(e => e.Name).Order(StringComparer.Ordinal);

        string[] expected =
        [
            "opt/cni/bin/routednet", "opt/cni/bin/routednet-ipam", "usr/bin/routednet-node", "usr/bin/routednetctl", .. Libraries,
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), files);
        Assert.DoesNotContain(_image.Entries, e => e.Name is "bin/sh" or "usr/bin/sh" or "bin" or "etc/ssl");
    }

    [Fact]
    public void Layer_SecondNamesAreHardLinks_StoredOnce()
    {
        // routednet-ipam is routednet, routednetctl is routednet-node: argv[0] picks the program.
        Assert.Equal("opt/cni/bin/routednet", Entry("opt/cni/bin/routednet-ipam").LinkName.TrimStart('.', '/'));
        Assert.Equal(TarEntryType.HardLink, Entry("opt/cni/bin/routednet-ipam").Type);
        Assert.Equal("usr/bin/routednet-node", Entry("usr/bin/routednetctl").LinkName.TrimStart('.', '/'));
        Assert.Equal(TarEntryType.HardLink, Entry("usr/bin/routednetctl").Type);
        Assert.True(Entry("usr/bin/routednet-node").Mode.HasFlag(UnixFileMode.OtherExecute));
        Assert.True(Entry("opt/cni/bin/routednet").Mode.HasFlag(UnixFileMode.OtherExecute));
    }

    private LayerEntry Entry(string name) => Assert.Single(_image.Entries, e => e.Name == name);
}
