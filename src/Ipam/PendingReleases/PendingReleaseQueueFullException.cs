namespace RoutedNet.Ipam.PendingReleases;

/// <summary>The node's queue of releases holds its capacity already: the DEL cannot be deferred.</summary>
public sealed class PendingReleaseQueueFullException : Exception
{
    public PendingReleaseQueueFullException()
        : base("the pending-release queue is full")
    {
    }

    public PendingReleaseQueueFullException(string message)
        : base(message)
    {
    }

    public PendingReleaseQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
