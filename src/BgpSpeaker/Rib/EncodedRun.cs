using RoutedNet.BgpSpeaker.Fsm;

namespace RoutedNet.BgpSpeaker.Rib;

/// <summary>
/// Encoded UPDATEs copied back to back into one array, so that an export group's member takes
/// any run of them as one queued segment: its whole table on joining, or a flush's changes minus
/// the few that differ for it. Bytes once written are shared by every member and never written
/// again; <see cref="Append"/> writes only past them (into spare room, or a larger copy: segments
/// already queued keep the array they point into).
/// </summary>
internal sealed class EncodedRun
{
    private byte[] _bytes;
    private int[] _offsets;
    private int[] _messages;

    public EncodedRun(IReadOnlyList<(byte[] Bytes, int Messages)> updates)
    {
        _offsets = new int[updates.Count + 1];
        _messages = new int[updates.Count + 1];
        for (var i = 0; i < updates.Count; i++)
        {
            _offsets[i + 1] = _offsets[i] + updates[i].Bytes.Length;
            _messages[i + 1] = _messages[i] + updates[i].Messages;
        }
        _bytes = new byte[_offsets[updates.Count]];
        for (var i = 0; i < updates.Count; i++)
        {
            updates[i].Bytes.CopyTo(_bytes, _offsets[i]);
        }
        Count = updates.Count;
    }

    /// <summary>Encoded groups of UPDATEs in the run.</summary>
    public int Count { get; private set; }

    /// <summary>Adds one encoded group at the end; room grows by doubling, so appending one at a time stays linear.</summary>
    public void Append(byte[] bytes, int messages)
    {
        var end = _offsets[Count];
        if (Count + 1 == _offsets.Length)
        {
            Array.Resize(ref _offsets, Math.Max(4, _offsets.Length * 2));
            Array.Resize(ref _messages, _offsets.Length);
        }
        if (end + bytes.Length > _bytes.Length)
        {
            var grown = new byte[Math.Max(end + bytes.Length, _bytes.Length * 2)];
            _bytes.AsSpan(0, end).CopyTo(grown);
            _bytes = grown;
        }
        bytes.CopyTo(_bytes, end);
        _offsets[Count + 1] = end + bytes.Length;
        _messages[Count + 1] = _messages[Count] + messages;
        Count++;
    }

    /// <summary>Queues groups <paramref name="from"/> up to (not including) <paramref name="to"/> as one segment.</summary>
    public void Send(PeerSession session, int from, int to)
    {
        if (from < to)
        {
            session.SendUpdates(new ArraySegment<byte>(_bytes, _offsets[from], _offsets[to] - _offsets[from]), _messages[to] - _messages[from]);
        }
    }
}
