namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>One family in the graceful restart capability; <paramref name="ForwardingPreserved"/> is the F bit (RFC 4724 §3).</summary>
public readonly record struct GracefulRestartFamily(AfiSafi Family, bool ForwardingPreserved);
