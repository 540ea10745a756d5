namespace RoutedNet.Datastore;

/// <summary>The object is invalid (bad CIDR, block size out of range, overlapping pools...); the message says why.</summary>
public sealed class ResourceValidationException : DatastoreException
{
    public ResourceValidationException(string message)
        : base(message)
    {
    }

    public ResourceValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public ResourceValidationException()
        : base("invalid resource")
    {
    }
}
