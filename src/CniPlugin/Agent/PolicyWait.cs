using System.Globalization;
using System.Text.Json;
using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// ADD's last step (issue 16, lab notes netpol §6): ask the node agent to answer once the pod's host
/// veth has its policy in force, so that the container starts with its isolation already there.
/// Until then the agent's table drops every packet of the veth both ways (fail closed), so a
/// timeout (netconf "policyWaitTimeout", seconds, default 5, 0: no wait) still lets ADD succeed:
/// the pod is closed, not open, and a line on stderr (the runtime's log) and the agent's metric say
/// so. No agent listening on "agentSocket" means nothing enforces policy on the node: no wait.
/// </summary>
internal static class PolicyWait
{
    public const string TimeoutKey = "policyWaitTimeout";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    public static TimeSpan Timeout(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.Root.TryGetProperty(TimeoutKey, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return DefaultTimeout;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > MaxTimeout.TotalSeconds)
        {
            throw NetworkConfig.Invalid($"\"{TimeoutKey}\" must be a number of seconds from 0 to {MaxTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}, not {value.GetRawText()}");
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// Waits on <paramref name="connection"/> (the ADD's own, through the agent), or on a new one to
    /// <paramref name="socket"/>. <paramref name="requireEndpoint"/>: a WorkloadEndpoint describes
    /// the pod, and only a program made from it counts.
    /// </summary>
    public static PolicyWaitOutcome Wait(AgentConnection? connection, string socket, TimeSpan timeout, string hostInterface, string containerId, bool requireEndpoint)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return PolicyWaitOutcome.NotWaited;
        }
        AgentConnection? own = null;
        try
        {
            if (connection is null)
            {
                try
                {
                    connection = own = AgentConnection.Connect(socket);
                }
                catch (AgentUnavailableException)
                {
                    return PolicyWaitOutcome.NotWaited;
                }
            }
            var message = new ProtoWriter()
                .Varint(1, AgentMethod.ApiVersion)
                .String(2, hostInterface)
                .String(3, containerId)
                .Bool(4, requireEndpoint)
                .Varint(5, (ulong)timeout.TotalMilliseconds);
            bool programmed;
            try
            {
                connection.Send(AgentMethod.WaitEndpointProgrammed, message);
                programmed = Programmed(connection.Receive(AgentMethod.WaitEndpointProgrammed));
            }
            catch (AgentUnavailableException e)
            {
                // An agent older than the wait, or one that went away: the veth stays closed until
                // an agent programs it, which is what the wait would have told us.
                Console.Error.WriteLine($"routednet: not waiting for the policy of {hostInterface}: {e.Message}");
                return PolicyWaitOutcome.NotWaited;
            }
            return Outcome(programmed, timeout, hostInterface, containerId);
        }
        finally
        {
            own?.Dispose();
        }
    }

    /// <summary>
    /// The wait the agent did inside CniRegisterEndpoint (one round trip for both, the usual case),
    /// read from its answer; null when it did not wait (no wait asked, or an agent older than the
    /// field): then <see cref="Wait"/> asks on its own.
    /// </summary>
    public static PolicyWaitOutcome? Answered(byte[] registerAnswer, TimeSpan timeout, string hostInterface, string containerId)
    {
        ArgumentNullException.ThrowIfNull(registerAnswer);
        var (waited, programmed) = (false, false);
        var reader = new ProtoReader(registerAnswer);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    waited = reader.Varint() != 0;
                    break;
                case 2:
                    programmed = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return waited ? Outcome(programmed, timeout, hostInterface, containerId) : null;
    }

    private static PolicyWaitOutcome Outcome(bool programmed, TimeSpan timeout, string hostInterface, string containerId)
    {
        if (programmed)
        {
            return PolicyWaitOutcome.Programmed;
        }
        Console.Error.WriteLine(
            $"routednet: the policy of {hostInterface} (container {containerId}) was not in force within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; the pod stays closed until its node agent programs it");
        return PolicyWaitOutcome.TimedOut;
    }

    private static bool Programmed(byte[] body)
    {
        var reader = new ProtoReader(body);
        var programmed = false;
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                programmed = reader.Varint() != 0;
            }
            else
            {
                reader.Skip();
            }
        }
        return programmed;
    }
}
