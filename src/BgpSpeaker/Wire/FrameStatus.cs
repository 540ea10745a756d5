namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Outcome of <see cref="BgpFrameReader"/>: wait for more octets, a whole frame, or a header error to send.</summary>
public enum FrameStatus
{
    NeedMoreData,
    Frame,
    Error,
}
