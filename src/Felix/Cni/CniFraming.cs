using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = RoutedNet.Felix.Api.V1;

namespace RoutedNet.Felix.Cni;

/// <summary>
/// The CNI plugin's light framing on the API socket (DESIGN.md "Contracts"), ahead of HTTP/2: a
/// connection that opens with "rnc1" is served here, any other (gRPC opens with HTTP/2's
/// "PRI * HTTP/2.0") goes on to Kestrel's HTTP/2 untouched. Frames: [u32 big-endian length][u8]
/// then a protobuf message of proto/node.proto; the byte is the method in a request (numbering
/// below, never reused) and the status in an answer (0, or a gRPC status code with a CniError).
/// The plugin runs once per pod: this spares it HTTP/2 and a gRPC client at every start.
/// </summary>
public static class CniFraming
{
    public const int MaxFrame = 1 << 20;

    public const byte Allocate = 1;
    public const byte Release = 2;
    public const byte RegisterEndpoint = 3;
    public const byte UnregisterEndpoint = 4;
    public const byte Check = 5;
    public const byte Gc = 6;
    public const byte Status = 7;
    public const byte WaitEndpointProgrammed = 8;

    private static ReadOnlySpan<byte> Magic => "rnc1"u8;

    /// <summary>Puts the framing in front of HTTP/2 on <paramref name="listen"/> (the API socket only).</summary>
    public static void Use(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection => ServeOrPassAsync(connection, next, listen.ApplicationServices));
    }

    private static async Task ServeOrPassAsync(ConnectionContext connection, ConnectionDelegate next, IServiceProvider services)
    {
        var input = connection.Transport.Input;
        var first = await input.ReadAtLeastAsync(Magic.Length, connection.ConnectionClosed).ConfigureAwait(false);
        var buffer = first.Buffer;
        if (buffer.Length >= Magic.Length && StartsWithMagic(buffer))
        {
            input.AdvanceTo(buffer.GetPosition(Magic.Length));
            try
            {
                await ServeAsync(connection, services.GetRequiredService<CniAgent>()).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
            {
                // The plugin went away mid-call (killed by its runtime's timeout): nothing to answer.
            }
            return;
        }
        // Nothing consumed or examined: HTTP/2 reads the same bytes.
        input.AdvanceTo(buffer.Start);
        await next(connection).ConfigureAwait(false);
    }

    private static bool StartsWithMagic(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[4];
        buffer.Slice(0, Magic.Length).CopyTo(head);
        return head.SequenceEqual(Magic);
    }

    private static async Task ServeAsync(ConnectionContext connection, CniAgent agent)
    {
        var (input, output) = (connection.Transport.Input, connection.Transport.Output);
        var cancellation = connection.ConnectionClosed;
        while (true)
        {
            var read = await input.ReadAtLeastAsync(5, cancellation).ConfigureAwait(false);
            if (read.Buffer.Length < 5)
            {
                return; // the plugin is done (or gone)
            }
            var length = ReadLength(read.Buffer);
            if (length is 0 or > MaxFrame)
            {
                return; // not the framing: nothing sensible to answer
            }
            // Nothing examined: the whole frame is usually here already, and ReadAtLeastAsync
            // returns at once; examining to the end would make it wait for bytes that never come.
            input.AdvanceTo(read.Buffer.Start);
            read = await input.ReadAtLeastAsync(4 + (int)length, cancellation).ConfigureAwait(false);
            if (read.Buffer.Length < 4 + length)
            {
                return;
            }
            var frame = read.Buffer.Slice(4, length).ToArray();
            input.AdvanceTo(read.Buffer.GetPosition(4 + length));
            var (status, answer) = await DispatchAsync(agent, frame[0], frame.AsMemory(1), cancellation).ConfigureAwait(false);
            var header = output.GetSpan(5);
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(1 + answer.Length));
            header[4] = status;
            output.Advance(5);
            output.Write(answer);
            await output.FlushAsync(cancellation).ConfigureAwait(false);
        }
    }

    private static uint ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>One request: the status byte and the answer's bytes.</summary>
    public static async Task<(byte Status, byte[] Answer)> DispatchAsync(CniAgent agent, byte method, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        try
        {
            IMessage response = method switch
            {
                Allocate => await agent.AllocateAsync(V1.CniAllocateRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                Release => await agent.ReleaseAsync(V1.CniReleaseRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                RegisterEndpoint => await agent.RegisterEndpointAsync(V1.CniRegisterEndpointRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                UnregisterEndpoint => await agent.UnregisterEndpointAsync(V1.CniUnregisterEndpointRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                Check => await agent.CheckAsync(V1.CniCheckRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                Gc => await agent.GcAsync(V1.CniGcRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                Status => await agent.StatusAsync(V1.CniStatusRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                WaitEndpointProgrammed => await agent.WaitEndpointProgrammedAsync(V1.CniWaitEndpointRequest.Parser.ParseFrom(message.Span), cancellationToken).ConfigureAwait(false),
                _ => throw CniErrors.Unimplemented($"this routednet-node has no CNI method {method} (a plugin newer than its agent, during an upgrade?)"),
            };
            return (0, response.ToByteArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            return Error(CniErrors.Invalid($"unreadable request: {e.Message}"));
        }
        catch (CniAgentException e)
        {
            return Error(e);
        }
    }

    private static (byte, byte[]) Error(CniAgentException e) =>
        ((byte)e.GrpcCode, new V1.CniError { GrpcCode = (uint)e.GrpcCode, CniCode = (uint)e.CniCode, Message = e.Message }.ToByteArray());
}
