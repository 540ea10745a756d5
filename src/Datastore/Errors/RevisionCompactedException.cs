namespace RoutedNet.Datastore;

/// <summary>A watch asked for a revision the store no longer keeps history for: list again and watch from the list's revision.</summary>
public sealed class RevisionCompactedException : DatastoreException
{
    public RevisionCompactedException(string message)
        : base(message)
    {
    }

    public RevisionCompactedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public RevisionCompactedException()
        : base("revision compacted")
    {
    }
}
