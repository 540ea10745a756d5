using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>Encoding; shared with <see cref="UpdatePacker"/> through <see cref="UpdateParts"/>.</summary>
public sealed partial class UpdateMessage
{
    internal static int GetBodyLength(in UpdateParts parts, in BgpCodecContext context) =>
        2 + NlriCodec.GetEncodedLength(parts.Withdrawn, parts.WithdrawnPathIds) + 2 + PathAttributeWriter.Measure(parts, context) + NlriCodec.GetEncodedLength(parts.Nlri, parts.NlriPathIds);

    internal static void WriteBody(Span<byte> destination, in UpdateParts parts, in BgpCodecContext context)
    {
        var withdrawnLength = NlriCodec.Write(destination[2..], parts.Withdrawn, parts.WithdrawnPathIds);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)withdrawnLength);
        var attributesAt = 2 + withdrawnLength + 2;
        var attributesLength = PathAttributeWriter.Write(destination[attributesAt..], parts, context);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(2 + withdrawnLength)..], (ushort)attributesLength);
        NlriCodec.Write(destination[(attributesAt + attributesLength)..], parts.Nlri, parts.NlriPathIds);
    }

    private protected override int GetBodyLength(in BgpCodecContext context) => GetBodyLength(ToParts(), context);

    private protected override void WriteBody(Span<byte> destination, in BgpCodecContext context) => WriteBody(destination, ToParts(), context);

    private UpdateParts ToParts() => new()
    {
        Withdrawn = WithdrawnRoutes.AsSpan(),
        WithdrawnPathIds = WithdrawnPathIds.AsSpan(),
        Attributes = Attributes,
        Nlri = Nlri.AsSpan(),
        NlriPathIds = NlriPathIds.AsSpan(),
        ReachNextHop = MpReach?.NextHop,
        ReachLinkLocal = MpReach?.LinkLocalNextHop,
        ReachFamily = MpReach?.Family ?? default,
        ReachNlri = MpReach is null ? default : MpReach.Nlri.AsSpan(),
        ReachPathIds = MpReach is null ? default : MpReach.PathIds.AsSpan(),
        HasUnreach = MpUnreach is not null,
        UnreachFamily = MpUnreach?.Family ?? default,
        UnreachNlri = MpUnreach is null ? default : MpUnreach.Withdrawn.AsSpan(),
        UnreachPathIds = MpUnreach is null ? default : MpUnreach.PathIds.AsSpan(),
    };
}
