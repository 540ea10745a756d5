using System.Buffers;
using System.Net;
using BenchmarkDotNet.Attributes;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpCodecBench;

/// <summary>
/// Per-prefix cost of decoding and encoding full UPDATEs, the way a route-reflector sees a table:
/// one shared attribute set, as many prefixes as a 4096-octet message holds. Results are per prefix
/// (OperationsPerInvoke), so 1 / Mean is prefixes per second on one core.
/// </summary>
[MemoryDiagnoser]
public class UpdateCodecBenchmarks
{
    private const int EncodePrefixes = 100_000;
    private static readonly BgpCodecContext Context = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);
    private static readonly PathAttributes Attributes = new()
    {
        Origin = Origin.Igp,
        AsPath = AsPath.FromSequence(65001, 65002),
        NextHop = IPAddress.Parse("198.18.0.1"),
        Communities = [0xfde90001],
    };

    private readonly ArrayBufferWriter<byte> _writer = new(8 << 20);
    private byte[] _ipv4Body = [];
    private byte[] _ipv6Body = [];
    private BgpPrefix[] _ipv4Prefixes = [];
    private BgpPrefix[] _ipv6Prefixes = [];

    public static int Ipv4PerMessage { get; private set; }

    public static int Ipv6PerMessage { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _ipv4Prefixes = [.. Enumerable.Range(0, EncodePrefixes).Select(i => BgpPrefix.FromIpv4(0x64400000u + (uint)i, 32))];
        _ipv6Prefixes = [.. Enumerable.Range(0, EncodePrefixes).Select(i => BgpPrefix.FromIpv6(((UInt128)0x20010db8u << 96) + ((UInt128)(uint)i << 64), 64))];
        _ipv4Body = FirstBody(UpdatePacker.WriteAnnouncements, _ipv4Prefixes, null, out var v4);
        _ipv6Body = FirstBody(UpdatePacker.WriteAnnouncements, _ipv6Prefixes, IPAddress.Parse("2001:db8::1"), out var v6);
        Ipv4PerMessage = v4;
        Ipv6PerMessage = v6;
    }

    /// <summary>One 4096-octet UPDATE of IPv4 /32s (≈ 810 prefixes); time is per prefix.</summary>
    [Benchmark(OperationsPerInvoke = 810)]
    public int Decode_Ipv4Nlri()
    {
        UpdateMessage.TryRead(_ipv4Body, Context, out var update, out _);
        return update!.Nlri.Length;
    }

    /// <summary>One 4096-octet UPDATE of IPv6 /64s in MP_REACH_NLRI (≈ 450 prefixes); time is per prefix.</summary>
    [Benchmark(OperationsPerInvoke = 450)]
    public int Decode_Ipv6MpReach()
    {
        UpdateMessage.TryRead(_ipv6Body, Context, out var update, out _);
        return update!.MpReach!.Nlri.Length;
    }

    /// <summary>100k IPv4 /32s packed into UPDATEs; time is per prefix.</summary>
    [Benchmark(OperationsPerInvoke = EncodePrefixes)]
    public int Encode_Ipv4Packed()
    {
        _writer.ResetWrittenCount();
        return UpdatePacker.WriteAnnouncements(_writer, Context, Attributes, _ipv4Prefixes);
    }

    /// <summary>100k IPv6 /64s packed into MP_REACH_NLRI UPDATEs; time is per prefix.</summary>
    [Benchmark(OperationsPerInvoke = EncodePrefixes)]
    public int Encode_Ipv6Packed()
    {
        _writer.ResetWrittenCount();
        return UpdatePacker.WriteAnnouncements(_writer, Context, Attributes, _ipv6Prefixes, IPAddress.Parse("2001:db8::1"));
    }

    private delegate int Pack(IBufferWriter<byte> writer, in BgpCodecContext context, PathAttributes attributes, ReadOnlySpan<BgpPrefix> prefixes, IPAddress? nextHop, IPAddress? linkLocal, ReadOnlySpan<uint> pathIds);

    /// <summary>The body of the first (full) message the packer makes, and how many prefixes it holds.</summary>
    private static byte[] FirstBody(Pack pack, BgpPrefix[] prefixes, IPAddress? nextHop, out int count)
    {
        var writer = new ArrayBufferWriter<byte>();
        pack(writer, Context, Attributes, prefixes, nextHop, null, default);
        BgpFrameReader.TryReadFrame(writer.WrittenSpan, Context, out var header, out _);
        var body = writer.WrittenSpan.Slice(BgpHeader.Size, header.BodyLength).ToArray();
        UpdateMessage.TryRead(body, Context, out var update, out _);
        count = update!.Nlri.Length + (update.MpReach?.Nlri.Length ?? 0);
        return body;
    }
}
