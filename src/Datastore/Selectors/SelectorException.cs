namespace RoutedNet.Datastore.Selectors;

/// <summary>A selector that does not parse; the message is one line naming the selector and the position (0-based).</summary>
public sealed class SelectorException : FormatException
{
    public SelectorException()
    {
    }

    public SelectorException(string message)
        : base(message)
    {
    }

    public SelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SelectorException(string message, int position)
        : base(message)
    {
        Position = position;
    }

    /// <summary>Where in the text the parser stopped; -1 when the error is not about a position.</summary>
    public int Position { get; } = -1;
}
