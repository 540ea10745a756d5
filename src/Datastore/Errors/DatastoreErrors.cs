namespace RoutedNet.Datastore;

/// <summary>The messages of the typed errors, one wording for every backend.</summary>
internal static class DatastoreErrors
{
    public static ResourceNotFoundException NotFound(string kind, string name) =>
        new($"{kind} \"{name}\" not found");

    public static ResourceAlreadyExistsException AlreadyExists(string kind, string name) =>
        new($"{kind} \"{name}\" already exists");

    public static RevisionConflictException Conflict(string kind, string name, long expected, long actual) =>
        new($"{kind} \"{name}\" was modified: expected resourceVersion {expected}, found {actual}");
}
