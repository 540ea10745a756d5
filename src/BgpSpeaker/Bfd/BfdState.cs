namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>RFC 5880 §4.1 "Sta": the session state as carried in a control packet (2 bits).</summary>
public enum BfdState : byte
{
    AdminDown = 0,
    Down = 1,
    Init = 2,
    Up = 3,
}
