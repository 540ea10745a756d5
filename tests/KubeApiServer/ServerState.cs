using RoutedNet.KubeApiServer.Control;
using RoutedNet.KubeApiServer.Registry;
using RoutedNet.KubeApiServer.Storage;

namespace RoutedNet.KubeApiServer;

/// <summary>Everything one stand-in instance holds: its resources, objects, tokens, counters, faults.</summary>
public sealed class ServerState
{
    public required ServerOptions Options { get; set; }
    public ResourceRegistry Registry { get; } = new();
    public required ObjectStore Store { get; init; }
    public RequestCounter Requests { get; } = new();
    public FaultInjector Faults { get; } = new();
    public required Auth.TokenAuthenticator Tokens { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
