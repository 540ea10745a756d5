namespace RoutedNet.Datastore;

/// <summary>The object does not exist (get, update, delete).</summary>
public sealed class ResourceNotFoundException : DatastoreException
{
    public ResourceNotFoundException(string message)
        : base(message)
    {
    }

    public ResourceNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ResourceNotFoundException()
        : base("resource not found")
    {
    }
}
