namespace RoutedNet.Datastore;

/// <summary>The datastore could not be reached or did not answer (after trying every endpoint).</summary>
public sealed class DatastoreUnavailableException : DatastoreException
{
    public DatastoreUnavailableException(string message)
        : base(message)
    {
    }

    public DatastoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public DatastoreUnavailableException()
        : base("datastore unavailable")
    {
    }
}
