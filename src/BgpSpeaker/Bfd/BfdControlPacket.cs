using System.Buffers.Binary;

namespace RoutedNet.BgpSpeaker.Bfd;

/// <summary>
/// A BFD Control packet without authentication (RFC 5880 §4.1), the only kind RoutedNet sends:
/// 24 bytes, intervals in microseconds. <see cref="TryParse"/> applies the checks of §6.8.6 that
/// need no session (version, lengths, multiplier, multipoint, discriminators, the A bit: RoutedNet
/// configures no authentication, so an authenticated packet is discarded as the RFC says).
/// </summary>
public readonly record struct BfdControlPacket(
    BfdState State,
    BfdDiagnostic Diagnostic,
    byte DetectMultiplier,
    uint MyDiscriminator,
    uint YourDiscriminator,
    uint DesiredMinTxMicroseconds,
    uint RequiredMinRxMicroseconds,
    uint RequiredMinEchoRxMicroseconds = 0,
    bool Poll = false,
    bool Final = false,
    bool ControlPlaneIndependent = false,
    bool Demand = false)
{
    public const int Length = 24;
    public const byte Version = 1;

    // Byte 1: Sta(2) P F C A D M.
    private const byte PollBit = 0x20;
    private const byte FinalBit = 0x10;
    private const byte ControlPlaneIndependentBit = 0x08;
    private const byte AuthenticationBit = 0x04;
    private const byte DemandBit = 0x02;
    private const byte MultipointBit = 0x01;

    /// <summary>Writes the packet's 24 bytes into <paramref name="destination"/>.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"a BFD control packet takes {Length} bytes", nameof(destination));
        }
        destination[0] = (byte)((Version << 5) | ((byte)Diagnostic & 0x1F));
        destination[1] = (byte)(((byte)State << 6)
            | (Poll ? PollBit : 0)
            | (Final ? FinalBit : 0)
            | (ControlPlaneIndependent ? ControlPlaneIndependentBit : 0)
            | (Demand ? DemandBit : 0));
        destination[2] = DetectMultiplier;
        destination[3] = Length;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], MyDiscriminator);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], YourDiscriminator);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], DesiredMinTxMicroseconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RequiredMinRxMicroseconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], RequiredMinEchoRxMicroseconds);
        return Length;
    }

    /// <summary>
    /// Parses one received datagram; false with the reason (one line, for a counter or a debug
    /// log: BFD answers nothing to a bad packet, it discards it) when §6.8.6 says to discard it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out BfdControlPacket packet, out string? discarded)
    {
        packet = default;
        if (datagram.Length < Length)
        {
            discarded = $"{datagram.Length} bytes, shorter than a control packet ({Length})";
            return false;
        }
        var version = datagram[0] >> 5;
        if (version != Version)
        {
            discarded = $"version {version}, not {Version}";
            return false;
        }
        var flags = datagram[1];
        var length = datagram[3];
        var authenticated = (flags & AuthenticationBit) != 0;
        if (length < (authenticated ? Length + 2 : Length))
        {
            discarded = $"length field {length} is below the minimum";
            return false;
        }
        if (length > datagram.Length)
        {
            discarded = $"length field {length} exceeds the {datagram.Length} bytes received";
            return false;
        }
        if (datagram[2] == 0)
        {
            discarded = "detect multiplier 0";
            return false;
        }
        if ((flags & MultipointBit) != 0)
        {
            discarded = "multipoint bit set";
            return false;
        }
        var myDiscriminator = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        if (myDiscriminator == 0)
        {
            discarded = "my discriminator 0";
            return false;
        }
        var state = (BfdState)(flags >> 6);
        var yourDiscriminator = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        if (yourDiscriminator == 0 && state is not (BfdState.Down or BfdState.AdminDown))
        {
            discarded = $"your discriminator 0 in state {state}";
            return false;
        }
        if (authenticated)
        {
            discarded = "authentication present, none configured";
            return false;
        }
        packet = new BfdControlPacket(
            state,
            (BfdDiagnostic)(datagram[0] & 0x1F),
            datagram[2],
            myDiscriminator,
            yourDiscriminator,
            BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[20..]),
            Poll: (flags & PollBit) != 0,
            Final: (flags & FinalBit) != 0,
            ControlPlaneIndependent: (flags & ControlPlaneIndependentBit) != 0,
            Demand: (flags & DemandBit) != 0);
        discarded = null;
        return true;
    }
}
