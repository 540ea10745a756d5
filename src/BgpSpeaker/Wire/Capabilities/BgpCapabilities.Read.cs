using System.Buffers.Binary;
using System.Collections.Immutable;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Reading capability TLVs (RFC 5492 §4):
/// <code>
/// +------------------------------+
/// | Capability Code (1 octet)    |
/// +------------------------------+
/// | Capability Length (1 octet)  |
/// +------------------------------+
/// | Capability Value (variable)  |
/// +------------------------------+
/// </code>
/// A TLV that overruns its parameter, or a known capability of the wrong length, is a malformed
/// recognized optional parameter: OPEN Message Error/Unspecific (RFC 4271 §6.2).
/// </summary>
public sealed partial record BgpCapabilities
{
    /// <summary>Collects capabilities over every Capabilities parameter of one OPEN.</summary>
    internal sealed class Accumulator
    {
        private readonly List<AfiSafi> _multiprotocol = [];
        private readonly List<RawCapability> _unknown = [];
        private readonly List<AddPathFamily> _addPath = [];
        private bool _routeRefresh;
        private bool _enhancedRouteRefresh;
        private bool _extendedMessage;
        private GracefulRestartCapability? _gracefulRestart;
        private uint? _fourOctetAs;

        /// <summary>Reads the TLVs of one parameter value; false (with 2/0) when one is malformed.</summary>
        public bool TryAdd(ReadOnlySpan<byte> tlvs, out BgpError error)
        {
            while (!tlvs.IsEmpty)
            {
                if (tlvs.Length < 2 || tlvs.Length < 2 + tlvs[1])
                {
                    error = Malformed;
                    return false;
                }
                var code = tlvs[0];
                var value = tlvs.Slice(2, tlvs[1]);
                if (!TryAddOne(code, value))
                {
                    error = Malformed;
                    return false;
                }
                tlvs = tlvs[(2 + value.Length)..];
            }
            error = default;
            return true;
        }

        public BgpCapabilities Build() => new()
        {
            Multiprotocol = [.. _multiprotocol],
            RouteRefresh = _routeRefresh,
            EnhancedRouteRefresh = _enhancedRouteRefresh,
            ExtendedMessage = _extendedMessage,
            GracefulRestart = _gracefulRestart,
            FourOctetAs = _fourOctetAs,
            AddPath = [.. _addPath],
            Unknown = [.. _unknown],
        };

        private static BgpError Malformed =>
            BgpError.WithoutData(NotificationCode.OpenMessageError, (byte)OpenMessageErrorSubcode.Unspecific, ErrorAction.SessionReset);

        private bool TryAddOne(byte code, ReadOnlySpan<byte> value)
        {
            switch ((CapabilityCode)code)
            {
                case CapabilityCode.Multiprotocol:
                    // AFI (2), Reserved (1), SAFI (1).
                    if (value.Length != 4)
                    {
                        return false;
                    }
                    _multiprotocol.Add(new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(value), (Safi)value[3]));
                    return true;
                case CapabilityCode.RouteRefresh:
                    _routeRefresh = true;
                    return value.IsEmpty;
                case CapabilityCode.EnhancedRouteRefresh:
                    _enhancedRouteRefresh = true;
                    return value.IsEmpty;
                case CapabilityCode.ExtendedMessage:
                    _extendedMessage = true;
                    return value.IsEmpty;
                case CapabilityCode.FourOctetAs:
                    if (value.Length != 4)
                    {
                        return false;
                    }
                    _fourOctetAs = BinaryPrimitives.ReadUInt32BigEndian(value);
                    return true;
                case CapabilityCode.GracefulRestart:
                    return TryReadGracefulRestart(value);
                case CapabilityCode.AddPath:
                    return TryReadAddPath(value);
                default:
                    _unknown.Add(new RawCapability(code, [.. value]));
                    return true;
            }
        }

        /// <summary>
        /// RFC 7911 §4: entries of AFI (2), SAFI (1), Send/Receive (1). A value that is not whole
        /// entries is malformed; an entry whose Send/Receive is not 1, 2 or 3 makes the capability
        /// one we do not understand, which is ignored (RFC 5492 §3), not refused.
        /// </summary>
        private bool TryReadAddPath(ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty || value.Length % 4 != 0)
            {
                return false;
            }
            var entries = new List<AddPathFamily>(value.Length / 4);
            for (var entry = value; !entry.IsEmpty; entry = entry[4..])
            {
                if (entry[3] is < 1 or > 3)
                {
                    _unknown.Add(new RawCapability((byte)CapabilityCode.AddPath, [.. value]));
                    return true;
                }
                var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(entry), (Safi)entry[2]);
                entries.Add(new AddPathFamily(family, (AddPathMode)entry[3]));
            }
            _addPath.AddRange(entries);
            return true;
        }

        private bool TryReadGracefulRestart(ReadOnlySpan<byte> value)
        {
            if (value.Length < 2 || (value.Length - 2) % 4 != 0)
            {
                return false;
            }
            var flagsAndTime = BinaryPrimitives.ReadUInt16BigEndian(value);
            var families = ImmutableArray.CreateBuilder<GracefulRestartFamily>((value.Length - 2) / 4);
            for (var entry = value[2..]; !entry.IsEmpty; entry = entry[4..])
            {
                var family = new AfiSafi((Afi)BinaryPrimitives.ReadUInt16BigEndian(entry), (Safi)entry[2]);
                families.Add(new GracefulRestartFamily(family, (entry[3] & ForwardingStateFlag) != 0));
            }
            _gracefulRestart = new GracefulRestartCapability
            {
                Restarting = (flagsAndTime & RestartStateFlag) != 0,
                NotificationSupport = (flagsAndTime & NotificationFlag) != 0,
                RestartTime = (ushort)(flagsAndTime & RestartTimeMask),
                Families = families.MoveToImmutable(),
            };
            return true;
        }
    }

    // RFC 4724 §3 and RFC 8538 §2: the flags are the top four bits of the first 16-bit word.
    private const ushort RestartStateFlag = 0x8000;
    private const ushort NotificationFlag = 0x4000;
    private const ushort RestartTimeMask = 0x0fff;
    private const byte ForwardingStateFlag = 0x80;
}
