namespace RoutedNet.Datastore.Backend;

internal enum WriteOpType
{
    Create,
    Update,
    Delete,
}
