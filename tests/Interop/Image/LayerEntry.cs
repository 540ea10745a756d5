using System.Formats.Tar;

namespace RoutedNet.Interop.Image;

/// <summary>One file, directory or link in an image layer, its path without a leading '/'.</summary>
public sealed record LayerEntry(string Name, TarEntryType Type, string LinkName, long Length, UnixFileMode Mode);
