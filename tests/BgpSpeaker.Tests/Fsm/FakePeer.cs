using System.Collections.Immutable;
using RoutedNet.BgpSpeaker.Wire;

namespace RoutedNet.BgpSpeaker.Tests.Fsm;

/// <summary>The far end of a session under test: sends and reads whole BGP messages.</summary>
internal sealed class FakePeer(Stream stream) : IAsyncDisposable
{
    private static readonly BgpCodecContext Context = new(FourOctetAs: true, ExtendedMessage: false, IsExternal: true);

    public Stream Stream { get; } = stream;

    public async Task SendAsync(BgpMessage message) => await Stream.WriteAsync(message.ToArray(Context));

    /// <summary>Sends in the encoding <paramref name="context"/> negotiated (ADD-PATH identifiers where it sends them).</summary>
    public async Task SendAsync(BgpMessage message, BgpCodecContext context) => await Stream.WriteAsync(message.ToArray(context));

    public Task SendRawAsync(byte[] bytes) => Stream.WriteAsync(bytes).AsTask();

    public Task SendOpenAsync(uint asn, uint routerId, ushort holdTime = 90, GracefulRestartCapability? gracefulRestart = null, AddPathMode addPath = AddPathMode.None) =>
        SendAsync(OpenMessage.Create(asn, holdTime, routerId, new BgpCapabilities
        {
            Multiprotocol = [AfiSafi.Ipv4Unicast, AfiSafi.Ipv6Unicast],
            RouteRefresh = true,
            GracefulRestart = gracefulRestart,
            AddPath = addPath == AddPathMode.None ? [] : [new(AfiSafi.Ipv4Unicast, addPath), new(AfiSafi.Ipv6Unicast, addPath)],
        }));

    /// <summary>Answers the speaker's OPEN with ours and its KEEPALIVE with one: the session is then Established on both ends.</summary>
    public async Task<OpenMessage> HandshakeAsync(uint asn, uint routerId, ushort holdTime = 90, GracefulRestartCapability? gracefulRestart = null, AddPathMode addPath = AddPathMode.None)
    {
        var body = await ExpectAsync(BgpMessageType.Open);
        await SendOpenAsync(asn, routerId, holdTime, gracefulRestart, addPath);
        await ExpectAsync(BgpMessageType.Keepalive);
        await SendAsync(KeepaliveMessage.Instance);
        Assert.True(OpenMessage.TryRead(body, out var open, out _));
        return open!;
    }

    /// <summary>Reads the next message; null when the speaker closed the connection.</summary>
    public async Task<(BgpMessageType Type, byte[] Body)?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[BgpHeader.Size];
        if (await Stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, timeout.Token) < header.Length)
        {
            return null;
        }
        var length = (header[16] << 8) | header[17];
        var body = new byte[length - BgpHeader.Size];
        await Stream.ReadExactlyAsync(body, timeout.Token);
        return ((BgpMessageType)header[18], body);
    }

    /// <summary>Reads until a message of <paramref name="type"/> arrives (skipping keepalives and the like).</summary>
    public async Task<byte[]> ExpectAsync(BgpMessageType type)
    {
        while (true)
        {
            var message = await ReadAsync() ?? throw new InvalidOperationException($"connection closed while waiting for {type}");
            if (message.Type == type)
            {
                return message.Body;
            }
        }
    }

    public async Task<NotificationMessage> ExpectNotificationAsync()
    {
        var body = await ExpectAsync(BgpMessageType.Notification);
        Assert.True(NotificationMessage.TryRead(body, out var notification, out _));
        return notification!;
    }

    /// <summary>True once the speaker has closed its end (all further reads return end of stream).</summary>
    public async Task<bool> ClosedAsync()
    {
        while (await ReadAsync() is not null)
        {
        }
        return true;
    }

    public static ImmutableArray<GracefulRestartFamily> BothFamilies(bool preserved) =>
        [new(AfiSafi.Ipv4Unicast, preserved), new(AfiSafi.Ipv6Unicast, preserved)];

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
