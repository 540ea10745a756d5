namespace RoutedNet.CniPlugin.Agent;

/// <summary>The agent could not be reached or stopped answering: ADD fails with 11, DEL queues its release.</summary>
internal sealed class AgentUnavailableException : Exception
{
    public AgentUnavailableException(string message)
        : base(message)
    {
    }

    public AgentUnavailableException()
        : base("the node agent is unavailable")
    {
    }

    public AgentUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
