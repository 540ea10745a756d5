using RoutedNet.BgpSpeaker.Wire;
using static RoutedNet.BgpSpeaker.Tests.Wire.UpdateBytes;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

/// <summary>RFC 6793 §4.2.3: rebuilding the real path from AS_PATH and AS4_PATH sent by an old speaker.</summary>
public class As4PathTests
{
    private static readonly BgpCodecContext OldSpeaker = new(FourOctetAs: false, ExtendedMessage: false, IsExternal: true);

    [Fact]
    public void Merge_AsPathLongerThanAs4Path_PrependsLeadingAsns()
    {
        // AS_PATH 65001 23456 23456 (an old speaker prepended 65001), AS4_PATH 4200000001 4200000002.
        var body = Body(OriginIgp + "40 02 08 02 03 fde9 5ba0 5ba0" + NextHop + "c0 11 0a 02 02 fa56ea01 fa56ea02");

        var path = Read(body).AsPath!;

        Assert.Equal(AsPath.FromSequence(65001, 4200000001, 4200000002), path);
    }

    [Fact]
    public void Merge_AsPathWithSetBeforeSequence_KeepsTheSet()
    {
        // AS_PATH: AS_SEQUENCE 65001, AS_SET {65002 65003}, AS_SEQUENCE 23456; AS4_PATH: 4200000001.
        // Counts: 1 + 1 + 1 = 3 against 1, so the first two segments are taken whole.
        var body = Body(OriginIgp + "40 02 0e 02 01 fde9 01 02 fdea fdeb 02 01 5ba0" + NextHop + "c0 11 06 02 01 fa56ea01");

        var path = Read(body).AsPath!;

        Assert.Equal("65001 {65002 65003} 4200000001", path.ToString());
        Assert.Equal(3, path.PathLength);
    }

    [Fact]
    public void Merge_AsPathShorterThanAs4Path_IgnoresAs4Path()
    {
        var body = Body(OriginIgp + "40 02 04 02 01 5ba0" + NextHop + "c0 11 0a 02 02 fa56ea01 fa56ea02");

        Assert.Equal(AsPath.FromSequence(23456), Read(body).AsPath);
    }

    [Fact]
    public void Merge_As4PathConfederationSegments_DroppedBeforeMerging()
    {
        // AS4_PATH: AS_CONFED_SEQUENCE 65100, then AS_SEQUENCE 4200000001 (RFC 6793 §6: drop the confed segment).
        var body = Body(OriginIgp + "40 02 06 02 02 fde9 5ba0" + NextHop + "c0 11 0c 03 01 0000fe4c 02 01 fa56ea01");

        Assert.Equal(AsPath.FromSequence(65001, 4200000001), Read(body).AsPath);
    }

    [Fact]
    public void Aggregator_AsTransWithAs4Aggregator_UsesRealAs()
    {
        var body = Body(OriginIgp + AsPath2 + NextHop + "c0 07 06 5ba0 0a000001" + "c0 12 08 fa56ea01 0a000001");

        Assert.Equal(new Aggregator(4200000001, 0x0a000001), Read(body).Aggregator);
    }

    [Fact]
    public void Aggregator_RealTwoOctetAs_IgnoresAs4AggregatorAndAs4Path()
    {
        // AGGREGATOR AS 65002 is not AS_TRANS: a later old speaker aggregated, AS4_* are stale.
        var body = Body(OriginIgp + "40 02 04 02 01 5ba0" + NextHop + "c0 07 06 fdea 0a000001" + "c0 11 06 02 01 fa56ea01" + "c0 12 08 fa56ea01 0a000001");

        var attributes = Read(body);

        Assert.Equal(new Aggregator(65002, 0x0a000001), attributes.Aggregator);
        Assert.Equal(AsPath.FromSequence(23456), attributes.AsPath);
    }

    [Fact]
    public void AsPath_Prepend_FillsLeadingSequenceThenStartsNewSegment()
    {
        var full = AsPath.FromSequence([.. Enumerable.Range(1, 255).Select(i => (uint)i)]);

        var prepended = full.Prepend(65000);

        Assert.Equal(2, prepended.Segments.Length);
        Assert.Equal(65000u, prepended.NeighborAs);
        Assert.Equal(256, prepended.PathLength);
        Assert.Equal(AsPath.FromSequence(65000, 1), AsPath.FromSequence(1).Prepend(65000));
    }

    private static PathAttributes Read(byte[] body)
    {
        Assert.True(UpdateMessage.TryRead(body, OldSpeaker, out var update, out var error));
        Assert.False(error.IsError, error.ToString());
        return update!.Attributes;
    }
}
