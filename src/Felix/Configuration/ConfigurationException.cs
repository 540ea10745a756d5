namespace RoutedNet.Felix.Configuration;

/// <summary>
/// A setting the agent cannot start with. The message names where the value came from (flag, env
/// or file) so the operator can fix it; Program turns it into a fatal exit (STYLE.md §3).
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ConfigurationException()
    {
    }
}
