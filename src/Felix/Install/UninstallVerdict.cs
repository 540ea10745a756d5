namespace RoutedNet.Felix.Install;

/// <summary>
/// What the stopping agent decided: an uninstall (its DaemonSet is gone or being deleted) or a
/// restart. Set once by <see cref="UninstallDetector"/> while the agent stops, read by the
/// process after the host has stopped, to run the rest of <see cref="NodeCleanup"/>.
/// </summary>
public sealed class UninstallVerdict
{
    private volatile bool _uninstall;

    public bool IsUninstall => _uninstall;

    public void SetUninstall() => _uninstall = true;
}
