namespace RoutedNet.KubeApiServer.Auth;

/// <summary>An authenticated caller: user name and groups, as RBAC subjects name them.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public bool IsMaster => Groups.Contains("system:masters");
}
