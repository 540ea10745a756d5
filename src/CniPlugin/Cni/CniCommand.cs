namespace RoutedNet.CniPlugin.Cni;

/// <summary>CNI_COMMAND values; STATUS and GC exist from spec 1.1.0.</summary>
internal enum CniCommand
{
    Add,
    Del,
    Check,
    Version,
    Status,
    Gc,
}
