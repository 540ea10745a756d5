namespace RoutedNet.Datastore;

/// <summary>Create found an object of that kind and name.</summary>
public sealed class ResourceAlreadyExistsException : DatastoreException
{
    public ResourceAlreadyExistsException(string message)
        : base(message)
    {
    }

    public ResourceAlreadyExistsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ResourceAlreadyExistsException()
        : base("resource already exists")
    {
    }
}
