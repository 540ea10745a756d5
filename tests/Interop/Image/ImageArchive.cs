using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using RoutedNet.Tests.TestKit;

namespace RoutedNet.Interop.Image;

/// <summary>
/// out/image/routednet.tar (`./build.sh image`) read as the OCI image layout it is, without any
/// container tool: its reference annotation, the image config and every entry of its layers.
/// </summary>
public sealed class ImageArchive
{
    private ImageArchive(string reference, JsonElement config, IReadOnlyList<LayerEntry> entries) =>
        (Reference, Config, Entries) = (reference, config, entries);

    public static string Path => System.IO.Path.Combine(RepoPaths.Root, "out", "image", "routednet.tar");

    /// <summary>org.opencontainers.image.ref.name of the archive's one manifest.</summary>
    public string Reference { get; }

    /// <summary>The image config's "config" object (Entrypoint, User, Env, Labels).</summary>
    public JsonElement Config { get; }

    public IReadOnlyList<LayerEntry> Entries { get; }

    public static string Require()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Path} is missing: run ./build.sh image (./test.sh does)");
        }
        return Path;
    }

    public static ImageArchive Read()
    {
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var file = File.OpenRead(Require()))
        using (var tar = new TarReader(file))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    blobs[entry.Name.TrimStart('.', '/')] = copy.ToArray();
                }
            }
        }
        using var index = JsonDocument.Parse(blobs["index.json"]);
        var manifestRef = index.RootElement.GetProperty("manifests")[0];
        var reference = manifestRef.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!;
        using var manifest = JsonDocument.Parse(Blob(blobs, manifestRef.GetProperty("digest").GetString()!));
        using var config = JsonDocument.Parse(Blob(blobs, manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!));
        var entries = new List<LayerEntry>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var compressed = new MemoryStream(Blob(blobs, layer.GetProperty("digest").GetString()!));
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                entries.Add(new LayerEntry(entry.Name.TrimStart('.', '/').TrimEnd('/'), entry.EntryType, entry.LinkName, entry.Length, entry.Mode));
            }
        }
        return new ImageArchive(reference, config.RootElement.GetProperty("config").Clone(), entries);
    }

    private static byte[] Blob(Dictionary<string, byte[]> blobs, string digest) => blobs["blobs/" + digest.Replace(':', '/')];
}
