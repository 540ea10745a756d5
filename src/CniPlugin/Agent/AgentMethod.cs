namespace RoutedNet.CniPlugin.Agent;

/// <summary>
/// The Cni* methods of proto/node.proto as numbered in the agent's framing (DESIGN.md
/// "Contracts"); a number is never reused. <see cref="ApiVersion"/> goes in every request.
/// </summary>
internal static class AgentMethod
{
    /// <summary>CniApiVersion in proto/node.proto that this plugin speaks.</summary>
    public const uint ApiVersion = 1;

    public const byte Allocate = 1;
    public const byte Release = 2;
    public const byte RegisterEndpoint = 3;
    public const byte UnregisterEndpoint = 4;
    public const byte Check = 5;
    public const byte Gc = 6;
    public const byte Status = 7;
    public const byte WaitEndpointProgrammed = 8;

    public static string Name(byte method) => method switch
    {
        Allocate => "CniAllocate",
        Release => "CniRelease",
        RegisterEndpoint => "CniRegisterEndpoint",
        UnregisterEndpoint => "CniUnregisterEndpoint",
        Check => "CniCheck",
        Gc => "CniGc",
        Status => "CniStatus",
        WaitEndpointProgrammed => "CniWaitEndpointProgrammed",
        _ => $"method {method}",
    };
}
