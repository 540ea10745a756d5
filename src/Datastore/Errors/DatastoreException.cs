namespace RoutedNet.Datastore;

/// <summary>
/// Base of every error the store reports. Callers branch on the subtype: NotFound, AlreadyExists,
/// Conflict (retry the read-modify-write), Unavailable (the datastore cannot be reached),
/// Validation (the object is wrong) and Compacted (relist, then watch again).
/// </summary>
public abstract class DatastoreException : Exception
{
    protected DatastoreException(string message)
        : base(message)
    {
    }

    protected DatastoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
