namespace RoutedNet.BgpSpeaker.Policy;

/// <summary>RFC 8092 large community: global administrator (an AS), then two operator-defined values.</summary>
public readonly record struct LargeCommunity(uint GlobalAdministrator, uint LocalData1, uint LocalData2)
{
    public override string ToString() => $"{GlobalAdministrator}:{LocalData1}:{LocalData2}";
}
