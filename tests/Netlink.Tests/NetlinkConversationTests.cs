using RoutedNet.Netlink.Wire;
using static RoutedNet.Netlink.Tests.ScriptedKernel;

namespace RoutedNet.Netlink.Tests;

/// <summary>The conversation rules, against a scripted kernel: seq and port checks, acks, dumps, batches.</summary>
public sealed class NetlinkConversationTests
{
    private static byte[] Request() => Hex.Bytes("14000000 1800 0500 00000000 00000000 00000000");

    private static byte[] Payload(byte marker) => [marker, 0, 0, 0];

    [Fact]
    public void Change_StaleAndForeignRepliesFirst_WaitsForItsOwnAck()
    {
        var kernel = new ScriptedKernel()
            .Then(seq => Concat(Ack(seq - 1, Errno.EEXIST), Ack(seq, Errno.EEXIST, portId: 7)))
            .Then(seq => Ack(seq));

        NetlinkConversation.Change(kernel, Request(), () => "route add x");

        Assert.Single(kernel.Sent);
        Assert.Equal(101u, kernel.LastSequence);
    }

    [Fact]
    public void Change_ErrorAck_ThrowsWithOperationAndErrno()
    {
        var kernel = new ScriptedKernel().Then(seq => Ack(seq, Errno.EEXIST));

        var error = Assert.Throws<NetlinkException>(() => NetlinkConversation.Change(kernel, Request(), () => "route add 10.244.1.5/32 dev rn0123"));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("route add 10.244.1.5/32 dev rn0123: EEXIST", error.Message);
    }

    [Fact]
    public void Dump_MultipartOverTwoDatagrams_EveryObjectThenDone()
    {
        var kernel = new ScriptedKernel()
            .Then(seq => Concat(Message(16, 2, seq, Payload(1)), Message(16, 2, seq - 3, Payload(9)), Message(16, 2, seq, Payload(2))))
            .Then(seq => Concat(Message(16, 2, seq, Payload(3)), Done(seq)));
        var seen = new List<byte>();

        NetlinkConversation.Dump(kernel, Request(), () => "link show", seen.Clear, m => seen.Add(m.Payload[0]));

        Assert.Equal([1, 2, 3], seen);
    }

    [Fact]
    public void Dump_InterruptedOnce_RestartsAndReturnsTheConsistentListing()
    {
        const ushort Intr = 2 | 0x10;
        var kernel = new ScriptedKernel()
            .Then(seq => Concat(Message(16, Intr, seq, Payload(1)), Done(seq, Intr)))
            .Then(seq => Concat(Message(16, 2, seq, Payload(7)), Done(seq)));
        var seen = new List<byte>();

        NetlinkConversation.Dump(kernel, Request(), () => "route show", seen.Clear, m => seen.Add(m.Payload[0]));

        Assert.Equal([7], seen);
        Assert.Equal(2, kernel.Sent.Count);
    }

    [Fact]
    public void Dump_AlwaysInterrupted_GivesUpWithDumpInterruptedException()
    {
        var kernel = new ScriptedKernel();
        for (var i = 0; i < NetlinkConversation.DumpAttempts; i++)
        {
            kernel.Then(seq => Done(seq, 2 | 0x10));
        }

        Assert.Throws<NetlinkDumpInterruptedException>(() => NetlinkConversation.Dump(kernel, Request(), () => "route show", () => { }, _ => { }));
    }

    [Fact]
    public void Dump_ReceiveBufferOverrun_Restarts()
    {
        var kernel = new ScriptedKernel()
            .ThenFail(Errno.ENOBUFS)
            .Then(seq => Concat(Message(16, 2, seq, Payload(5)), Done(seq)));
        var seen = new List<byte>();

        NetlinkConversation.Dump(kernel, Request(), () => "route show", seen.Clear, m => seen.Add(m.Payload[0]));

        Assert.Equal([5], seen);
    }

    [Fact]
    public void Dump_DoneCarriesError_Throws()
    {
        var kernel = new ScriptedKernel().Then(seq => Done(seq, error: -(int)Errno.EINVAL));

        var error = Assert.Throws<NetlinkException>(() => NetlinkConversation.Dump(kernel, Request(), () => "route show", () => { }, _ => { }));

        Assert.Equal(Errno.EINVAL, error.Errno);
    }

    [Fact]
    public void Query_ErrorReply_Throws()
    {
        var kernel = new ScriptedKernel().Then(seq => Ack(seq, Errno.ENODEV));

        var error = Assert.Throws<NetlinkException>(() => NetlinkConversation.Query(kernel, Request(), () => "link show dev x", _ => { }));

        Assert.Equal(Errno.ENODEV, error.Errno);
    }

    [Fact]
    public void Batch_OnlyFailuresAndTheLastAnswer_EveryUnansweredRequestSucceeded()
    {
        var kernel = new ScriptedKernel()
            .Then(_ => Ack(10, Errno.ESRCH))
            .Then(_ => Concat(Ack(11, Errno.EEXIST), Ack(12)));
        var errnos = new Errno[4];
        var texts = new string?[4];

        NetlinkConversation.Batch(kernel, Request(), 9, errnos, texts, () => "route batch");

        Assert.Equal([Errno.None, Errno.ESRCH, Errno.EEXIST, Errno.None], errnos);
    }

    [Fact]
    public void Batch_LastRequestFails_RecordedAndTheRestSucceeded()
    {
        var kernel = new ScriptedKernel().Then(_ => Ack(11, Errno.ENETUNREACH));
        var errnos = new Errno[3];
        var texts = new string?[3];

        NetlinkConversation.Batch(kernel, Request(), 9, errnos, texts, () => "route batch");

        Assert.Equal([Errno.None, Errno.None, Errno.ENETUNREACH], errnos);
    }

    [Fact]
    public void Batch_OverrunLostReplies_DrainsAndReportsEveryUnansweredRequestAsEnobufs()
    {
        var kernel = new ScriptedKernel()
            .Then(_ => Ack(10, Errno.ESRCH))
            .ThenFail(Errno.ENOBUFS)
            .Then(_ => Ack(12));
        var errnos = new Errno[4];
        var texts = new string?[4];

        NetlinkConversation.Batch(kernel, Request(), 9, errnos, texts, () => "route batch");

        // An error reply for 9 or 11 may have been among the lost ones: their state is unknown.
        Assert.Equal([Errno.ENOBUFS, Errno.ESRCH, Errno.ENOBUFS, Errno.None], errnos);
    }

    [Fact]
    public void Batch_OverrunLostTheLastAck_StopsWhenTheQueueIsEmpty()
    {
        var kernel = new ScriptedKernel()
            .ThenFail(Errno.ENOBUFS);
        var errnos = new Errno[2];
        var texts = new string?[2];

        NetlinkConversation.Batch(kernel, Request(), 9, errnos, texts, () => "route batch");

        Assert.Equal([Errno.ENOBUFS, Errno.ENOBUFS], errnos);
    }
}
