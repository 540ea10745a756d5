namespace RoutedNet.CniPlugin.Cni;

/// <summary>interfaces[]: a host-side interface has no sandbox; the pod's carries its netns path.</summary>
internal sealed class CniInterface
{
    public string Name { get; set; } = "";

    public string? Mac { get; set; }

    /// <summary>1.1.0 only.</summary>
    public int? Mtu { get; set; }

    public string? Sandbox { get; set; }

    /// <summary>1.1.0 only.</summary>
    public string? SocketPath { get; set; }

    /// <summary>1.1.0 only.</summary>
    public string? PciId { get; set; }
}
