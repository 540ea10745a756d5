namespace RoutedNet.Datastore;

/// <summary>The object changed since it was read: its resourceVersion differs. Re-read and retry.</summary>
public sealed class RevisionConflictException : DatastoreException
{
    public RevisionConflictException(string message)
        : base(message)
    {
    }

    public RevisionConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public RevisionConflictException()
        : base("revision conflict")
    {
    }
}
