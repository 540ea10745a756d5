namespace RoutedNet.Datastore;

/// <summary>The object is still in use (a pool whose addresses pods hold); the message says by what and the way out.</summary>
public sealed class ResourceInUseException : DatastoreException
{
    public ResourceInUseException(string message)
        : base(message)
    {
    }

    public ResourceInUseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ResourceInUseException()
        : base("resource in use")
    {
    }
}
