using System.IO.Pipelines;

namespace RoutedNet.BgpSpeaker.Wire;

/// <summary>
/// Reads BGP messages one at a time from a pipe (for a socket or any stream: <c>PipeReader.Create(stream)</c>).
/// The header is judged as soon as its 19 octets arrive, so a bad length ends the session without
/// buffering the body. Not thread-safe: one reader loop per connection.
/// </summary>
public sealed class BgpMessageStream(PipeReader reader)
{
    private readonly PipeReader _reader = reader ?? throw new ArgumentNullException(nameof(reader));

    /// <summary>Reads the next message with the session's current <paramref name="context"/>.</summary>
    public async ValueTask<BgpReadResult> ReadAsync(BgpCodecContext context, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var read = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var status = BgpFrameReader.TryReadFrame(buffer, context, out var header, out var body, out var error);
            switch (status)
            {
                case FrameStatus.Frame:
                {
                    var ok = BgpMessageReader.TryRead(header, body, context, out var message, out error, out var notification);
                    _reader.AdvanceTo(buffer.GetPosition(header.Length));
                    return ok ? BgpReadResult.FromMessage(message!, error) : BgpReadResult.FromFatal(error, notification!);
                }
                case FrameStatus.Error:
                    _reader.AdvanceTo(buffer.Start);
                    return BgpReadResult.FromFatal(error, NotificationMessage.FromError(error, default));
                default:
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        return BgpReadResult.EndOfStream;
                    }
                    break;
            }
        }
    }
}
