using System.IO.Pipelines;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Wire;

public class MessageStreamTests
{
    [Fact]
    public async Task ReadAsync_MessagesInDribbles_ReadsEachThenEnd()
    {
        var pipe = new Pipe();
        var stream = new BgpMessageStream(pipe.Reader);
        var bytes = KeepaliveMessage.Instance.ToArray(BgpCodecContext.Initial)
            .Concat(NotificationMessage.AdministrativeShutdown("bye").ToArray(BgpCodecContext.Initial)).ToArray();

        // One octet at a time, as a slow peer might send them.
        var writer = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }
            await pipe.Writer.CompleteAsync();
        });

        var first = await stream.ReadAsync(BgpCodecContext.Initial);
        var second = await stream.ReadAsync(BgpCodecContext.Initial);
        var third = await stream.ReadAsync(BgpCodecContext.Initial);
        await writer;

        Assert.IsType<KeepaliveMessage>(first.Message);
        Assert.Equal("Cease/Administrative Shutdown \"bye\"", second.Message!.ToString());
        Assert.True(third.IsEndOfStream);
    }

    [Fact]
    public async Task ReadAsync_BadMarker_FatalWithNotification()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Hex.Bytes("00000000000000000000000000000000 0013 04"));
        var stream = new BgpMessageStream(pipe.Reader);

        var result = await stream.ReadAsync(BgpCodecContext.Initial);

        Assert.Null(result.Message);
        Assert.Equal(NotificationCode.MessageHeaderError, result.Notification!.Code);
        Assert.Equal((byte)MessageHeaderErrorSubcode.ConnectionNotSynchronized, result.Notification.Subcode);
    }

    [Fact]
    public async Task ReadAsync_UpdateWithTreatAsWithdraw_ReturnsMessageAndError()
    {
        var pipe = new Pipe();
        var body = UpdateBytes.Body("40 01 01 05" + UpdateBytes.AsPath2 + UpdateBytes.NextHop);
        var header = new byte[BgpHeader.Size];
        BgpHeader.Write(header, BgpHeader.Size + body.Length, BgpMessageType.Update);
        await pipe.Writer.WriteAsync(header.Concat(body).ToArray());
        var stream = new BgpMessageStream(pipe.Reader);

        var result = await stream.ReadAsync(BgpCodecContext.Initial);

        Assert.IsType<UpdateMessage>(result.Message);
        Assert.Equal(ErrorAction.TreatAsWithdraw, result.Error.Action);
        Assert.Null(result.Notification);
    }
}
