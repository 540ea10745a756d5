namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Subcodes of <see cref="NotificationCode.FiniteStateMachineError"/> (RFC 6608 §3). Data: the received message type octet.</summary>
public enum FiniteStateMachineErrorSubcode : byte
{
    Unspecified = 0,
    UnexpectedMessageInOpenSent = 1,
    UnexpectedMessageInOpenConfirm = 2,
    UnexpectedMessageInEstablished = 3,
}
