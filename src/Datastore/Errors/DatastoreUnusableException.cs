namespace RoutedNet.Datastore;

/// <summary>
/// The datastore answers but cannot be used as it is: a damaged sqlite file, or one written by a
/// newer schema. Unlike <see cref="DatastoreUnavailableException"/>, retrying does not help.
/// </summary>
public sealed class DatastoreUnusableException : DatastoreException
{
    public DatastoreUnusableException(string message)
        : base(message)
    {
    }

    public DatastoreUnusableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public DatastoreUnusableException()
        : base("datastore unusable")
    {
    }
}
