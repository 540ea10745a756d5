using RoutedNet.BgpSpeaker.Fsm;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Encoded UPDATEs copied back to back into one array, so that an export group's member takes
/// any run of them as one queued segment: its whole table on joining, or a flush's changes minus
/// the few that differ for it. The array is shared by every member and never written again.
/// </summary>
internal sealed class EncodedRun
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _messages;

    public EncodedRun(IReadOnlyList<(byte[] Bytes, int Messages)> updates)
    {
        _offsets = new int[updates.Count + 1];
        _messages = new int[updates.Count + 1];
        for (var i = 0; i < updates.Count; i++)
        {
            _offsets[i + 1] = _offsets[i] + updates[i].Bytes.Length;
            _messages[i + 1] = _messages[i] + updates[i].Messages;
        }
        _bytes = new byte[_offsets[^1]];
        for (var i = 0; i < updates.Count; i++)
        {
            updates[i].Bytes.CopyTo(_bytes, _offsets[i]);
        }
    }

    /// <summary>Encoded groups of UPDATEs in the run.</summary>
    public int Count => _offsets.Length - 1;

    /// <summary>Queues groups <paramref name="from"/> up to (not including) <paramref name="to"/> as one segment.</summary>
    public void Send(PeerSession session, int from, int to)
    {
        if (from < to)
        {
            session.SendUpdates(new ArraySegment<byte>(_bytes, _offsets[from], _offsets[to] - _offsets[from]), _messages[to] - _messages[from]);
        }
    }
}
