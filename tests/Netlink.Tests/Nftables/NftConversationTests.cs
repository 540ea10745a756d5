using RoutedNet.Netlink.Nftables;
using static RoutedNet.Netlink.Tests.ScriptedKernel;

namespace RoutedNet.Netlink.Tests.Nftables;

/// <summary>
/// The commit rules against a scripted kernel: the kernel answers failures in message order and
/// the last message's ack; BATCH_BEGIN's sequence carries the batch's own refusal.
/// </summary>
public sealed class NftConversationTests
{
    // LastSequence is BATCH_BEGIN's; message i has LastSequence + 1 + i.
    private static NftBatch ThreeMessages() => new NftBatch()
        .AddTable("t")
        .AddChain(new NftChain("t", "c"))
        .AddRule(new NftRule("t", "c", [NftExpression.Verdict(NftVerdict.Accept)], "x"));

    [Fact]
    public void Commit_LastAcked_Succeeds()
    {
        var kernel = new ScriptedKernel().Then(begin => Ack(begin + 3));

        var (index, errno, _) = NftConversation.Commit(kernel, ThreeMessages().Seal(101, null), 101, 3);

        Assert.Equal((0, Errno.None), (index, errno));
    }

    [Fact]
    public void Commit_MiddleFailsThenLastAcked_ReportsTheMiddleOne()
    {
        var kernel = new ScriptedKernel()
            .Then(begin => Ack(begin + 2, Errno.ENOENT))
            .Then(begin => Ack(begin + 3));

        var (index, errno, _) = NftConversation.Commit(kernel, ThreeMessages().Seal(101, null), 101, 3);

        Assert.Equal((1, Errno.ENOENT), (index, errno));
    }

    [Fact]
    public void Commit_SeveralFail_ReportsTheFirst()
    {
        var kernel = new ScriptedKernel().Then(begin => [.. Ack(begin + 3, Errno.EINVAL), .. Ack(begin + 2, Errno.ENOENT)]);

        var (index, errno, _) = NftConversation.Commit(kernel, ThreeMessages().Seal(101, null), 101, 3);

        Assert.Equal((1, Errno.ENOENT), (index, errno));
    }

    [Fact]
    public void Commit_BeginRefused_IsTheBatchsError()
    {
        var kernel = new ScriptedKernel().Then(begin => Ack(begin, Errno.ERESTART));

        var (index, errno, _) = NftConversation.Commit(kernel, ThreeMessages().Seal(101, 5), 101, 3);

        Assert.Equal((-1, Errno.ERESTART), (index, errno));
    }

    [Fact]
    public void Commit_SequenceWrapsInsideTheBatch_StillMapped()
    {
        var begin = uint.MaxValue - 1;
        var kernel = new ScriptedKernel().Then(_ => [.. Ack(unchecked(begin + 2), Errno.EEXIST), .. Ack(unchecked(begin + 3))]);

        var (index, errno, _) = NftConversation.Commit(kernel, ThreeMessages().Seal(begin, null), begin, 3);

        Assert.Equal((1, Errno.EEXIST), (index, errno));
    }

    [Fact]
    public void Seal_OnlyTheLastMessageAsksForAnAck()
    {
        var batch = ThreeMessages();
        batch.Seal(1, null);

        var flags = Enumerable.Range(0, 3).Select(i => BitConverter.ToUInt16(batch.MessageAt(i)[6..8]) & 0x4).ToArray();

        Assert.Equal([0, 0, 4], flags);
    }

    [Fact]
    public void Describe_ElementFailure_NamesSetFirstKeyAndCount()
    {
        var batch = new NftBatch().AddElement("routednet", "pods", [10, 0, 0, 1]).AddElement("routednet", "pods", [10, 0, 0, 2]);
        batch.Seal(1, null);

        Assert.Equal("add element inet routednet pods { 0a000001 } (+1 more)", batch.Operations[0].Describe(batch.MessageAt(0)));
    }
}
