namespace RoutedNet.CniPlugin.Cni;

/// <summary>A failure that ends the command with the spec's error JSON (code, msg, details) on stdout.</summary>
internal sealed class CniException : Exception
{
    public CniException(int code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public int Code { get; }

    public string? Details { get; }
}
