namespace RoutedNet.BgpFuzz;

/// <summary>A case that broke a codec invariant; carries the bytes so it can be replayed.</summary>
public sealed class FuzzFindingException(string message, byte[] input, Exception? inner = null)
    : Exception($"{message}; input {Convert.ToHexString(input)}", inner)
{
    public byte[] Input { get; } = input;
}
