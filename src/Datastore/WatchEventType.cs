namespace RoutedNet.Datastore;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}
