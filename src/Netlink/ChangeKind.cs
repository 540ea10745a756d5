namespace RoutedNet.Netlink;

/// <summary>The `ip` verb of a change: add (fails if present), replace (create or overwrite), delete.</summary>
public enum ChangeKind
{
    Add,
    Replace,
    Delete,
}
