namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>A large community (RFC 8092 §3): global administrator (an AS), then two operator-defined values.</summary>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public override string ToString() => $"{GlobalAdministrator}:{LocalData1}:{LocalData2}";
}
