using System.Buffers.Binary;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpFuzz;

/// <summary>
/// Makes one test case: a seed changed by a few random edits, or random bytes behind a valid
/// header. Most cases keep the header's Length equal to the real size, so that the body decoders,
/// not only the frame checks, see the damage.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x0f, 0x10, 0x1f, 0x20, 0x21, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xd0, 0xe0, 0xfe, 0xff];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var choice = _random.Next(100);
        byte[] message;
        if (choice < 5)
        {
            message = RandomMessage();
        }
        else
        {
            var seedMessage = Seeds.All[_random.Next(Seeds.All.Length)];
            var bytes = new List<byte>(seedMessage);
            var edits = 1 + _random.Next(_random.Next(8) == 0 ? 16 : 4);
            for (var i = 0; i < edits; i++)
            {
                Edit(bytes);
            }
            message = [.. bytes];
        }
        if (message.Length >= BgpHeader.Size && _random.Next(10) < 8)
        {
            // Keep marker and length honest most of the time so the damage reaches the body decoders.
            message.AsSpan(0, BgpHeader.MarkerLength).Fill(0xff);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(BgpHeader.MarkerLength), (ushort)Math.Min(message.Length, ushort.MaxValue));
        }
        return message;
    }

    /// <summary>A plausible message type followed by random bytes.</summary>
    private byte[] RandomMessage()
    {
        var message = new byte[BgpHeader.Size + _random.Next(_random.Next(4) == 0 ? 4096 : 64)];
        _random.NextBytes(message.AsSpan(BgpHeader.Size));
        message[BgpHeader.Size - 1] = (byte)(1 + _random.Next(5));
        return message;
    }

    private void Edit(List<byte> bytes)
    {
        // Edits land in the body (after the header) most of the time.
        var start = bytes.Count > BgpHeader.Size && _random.Next(10) > 0 ? BgpHeader.Size : 0;
        var at = bytes.Count > start ? _random.Next(start, bytes.Count) : start;
        switch (_random.Next(9))
        {
            case 0 when at < bytes.Count:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when at < bytes.Count:
                bytes[at] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 2 when at < bytes.Count:
                bytes[at] = (byte)_random.Next(256);
                break;
            case 3:
                bytes.Insert(Math.Min(at, bytes.Count), (byte)_random.Next(256));
                break;
            case 4 when at < bytes.Count:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(8)));
                break;
            case 5:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 6 when at < bytes.Count:
            {
                // Repeat a chunk: duplicated attributes, prefixes, capabilities.
                var length = Math.Min(bytes.Count - at, 1 + _random.Next(16));
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
            }
            case 7 when at + 1 < bytes.Count:
            {
                // A 16-bit length field gone wrong by a little or a lot.
                var value = (ushort)((bytes[at] << 8) | bytes[at + 1]);
                value = _random.Next(2) == 0 ? (ushort)(value + _random.Next(-3, 4)) : (ushort)_random.Next(65536);
                bytes[at] = (byte)(value >> 8);
                bytes[at + 1] = (byte)value;
                break;
            }
            case 8 when bytes.Count < 70000:
            {
                // Grow the message: long attribute and NLRI lists, past 4096 now and then.
                var extra = new byte[_random.Next(_random.Next(8) == 0 ? 5000 : 64)];
                _random.NextBytes(extra);
                bytes.InsertRange(Math.Min(at, bytes.Count), extra);
                break;
            }
            default:
                break;
        }
    }
}
