namespace RoutedNet.CniPlugin.Cni;

/// <summary>A verb of a <see cref="DelegatedPlugin"/> that has been started and not yet waited for.</summary>
internal sealed class DelegateCall
{
    private readonly DelegatedPlugin _plugin;
    private readonly string _command;
    private readonly NetworkConfig _config;
    private readonly RunningChild _child;

    internal DelegateCall(DelegatedPlugin plugin, string command, NetworkConfig config, RunningChild child) =>
        (_plugin, _command, _config, _child) = (plugin, command, config, child);

    /// <summary>
    /// Waits for the delegate and returns its stdout; its error JSON becomes a <see cref="CniException"/>.
    /// A delegate that cannot speak the config's version is asked again in the newest one both speak.
    /// </summary>
    public byte[] Output()
    {
        try
        {
            return _plugin.End(_command, _child);
        }
        catch (CniException e) when (e.Code == CniErrorCode.IncompatibleVersion)
        {
            return _plugin.RetryWithCommonVersion(_command, _config, e);
        }
    }
}
