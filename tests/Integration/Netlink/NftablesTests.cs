using System.Text.Json;
using RoutedNet.Netlink;
using RoutedNet.Netlink.Nftables;
using RoutedNet.Tests.TestKit;
using static RoutedNet.Integration.Netlink.NftablesRuleset;

namespace RoutedNet.Integration.Netlink;

/// <summary>
/// nf_tables through <see cref="NftablesHandle"/> against the kernel, judged by the real `nft`:
/// what we commit is what nft lists, what nft writes is what our dumps decode, a drop rule really
/// drops, elements change one at a time, a stale generation is refused.
/// </summary>
public sealed class NftablesTests : IDisposable
{
    private readonly NftablesScope _scope = new();

    private NftablesHandle Handle => _scope.Handle;

    public void Dispose() => _scope.Dispose();

    [Fact]
    public void Commit_WholeTable_NftListsExactlyWhatWeWrote()
    {
        Handle.Commit(Build());

        Assert.Equal(Listed, _scope.Nft("list", "table", "inet", Table));
        using var json = JsonDocument.Parse(_scope.Nft("-j", "list", "table", "inet", Table));
        var items = json.RootElement.GetProperty("nftables").EnumerateArray().ToList();
        Assert.Equal(Rules().Length, items.Count(i => i.TryGetProperty("rule", out _)));
        Assert.Equal(Sets.Length, items.Count(i => i.TryGetProperty("set", out _) || i.TryGetProperty("map", out _)));
        var table = items.Single(i => i.TryGetProperty("table", out _)).GetProperty("table");
        // No NFT_TABLE_F_OWNER: the table outlives the socket that made it (a crashed agent leaves the node closed, not open).
        Assert.False(table.TryGetProperty("flags", out var flags) && flags.ToString().Contains("owner", StringComparison.Ordinal));
    }

    [Fact]
    public void Commit_ThenHandleClosed_TableStays()
    {
        Handle.Commit(new NftBatch().AddTable(Table).AddChain(Chains[0]));
        Handle.Dispose();

        using var other = NftablesHandle.OpenNamespace(_scope.Ns.Path);
        Assert.Contains(other.ListTables(), t => t.Name == Table);
        Assert.Contains("hook forward", _scope.Nft("list", "table", "inet", Table), StringComparison.Ordinal);
    }

    [Fact]
    public void Dumps_DecodeWhatNftWrote()
    {
        _scope.NftFile(NftText);

        Assert.Contains(Handle.ListTables(), t => t.Name == Table && t.Flags == 0 && t.Handle != 0);
        var chains = Handle.ListChains(Table);
        Assert.Equal(Chains.Select(c => (c.Name, c.Hook, c.Priority, c.Policy)), chains.Select(c => (c.Name, c.Hook, c.Priority, c.Policy)));
        var rules = Handle.ListRules(Table);
        var expected = Rules();
        Assert.Equal(expected.Length, rules.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].SameAs(rules[i]), $"rule {i}: nft wrote\n{rules[i].Describe()}\nwe build\n{expected[i].Describe()}");
        }
        Assert.Equal(Sets.Select(s => (s.Name, string.Join('.', s.Key), s.IsInterval, s.IsVerdictMap)), Handle.ListSets(Table).Select(s => (s.Name, string.Join('.', s.Key), s.IsInterval, s.IsVerdictMap)));
        var map = Assert.Single(Handle.ListElements(Table, "from_wl"));
        Assert.Equal(InterfaceKey("rn12"), map.Key);
        Assert.Equal(NftVerdict.Goto("fw-rn12"), map.Verdict);
        var range = Assert.Single(Handle.ListElements(Table, "ranges"));
        Assert.Equal([10, 0, 0, 255, 6, 0, 0, 0, 0, 90, 0, 0], range.KeyEnd);
    }

    [Fact]
    public void Dumps_ReadBackWhatWeWrote_CountersIncluded()
    {
        var rules = Rules();
        Handle.Commit(Build());

        var read = Handle.ListRules(Table);
        Assert.Equal(rules.Length, read.Count);
        Assert.All(rules.Zip(read), pair => Assert.True(pair.First.SameAs(pair.Second), pair.Second.Describe()));
        Assert.All(read, r => Assert.NotEqual(0UL, r.Handle));
        var counter = read[1].Expressions.Single(e => e.Name == "counter");
        Assert.True(counter.TryGetCounter(out var packets, out var bytes));
        Assert.Equal((0UL, 0UL), (packets, bytes));
        Assert.Equal("default deny", read[1].Comment);
    }

    [Fact]
    public void Elements_AddedAndDeletedOneAtATime()
    {
        Handle.Commit(new NftBatch().AddTable(Table).AddSet(new NftSet(Table, "pods", [NftDataType.Ipv4Address])));
        var batch = new NftBatch();
        for (var i = 1; i <= 3; i++)
        {
            batch.Clear();
            Handle.Commit(batch.AddElement(Table, "pods", [10, 244, 0, (byte)i]));
        }

        Assert.Contains("elements = { 10.244.0.1, 10.244.0.2, 10.244.0.3 }", ListSet("pods"), StringComparison.Ordinal);
        batch.Clear();
        Handle.Commit(batch.DeleteElement(Table, "pods", [10, 244, 0, 2]));
        Assert.Contains("elements = { 10.244.0.1, 10.244.0.3 }", ListSet("pods"), StringComparison.Ordinal);
        Assert.Equal(2, Handle.ListElements(Table, "pods").Count);
    }

    [Fact]
    public void Commit_ManyElements_SplitAcrossMessagesAllApplied()
    {
        var batch = new NftBatch().AddTable(Table).AddSet(new NftSet(Table, "big", [NftDataType.Ipv4Address]));
        for (var i = 0; i < 30_000; i++)
        {
            batch.AddElement(Table, "big", [10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
        }
        Assert.True(batch.Count > 3, "30,000 elements need several NEWSETELEM messages (64 KiB each at most)");

        Handle.Commit(batch);

        Assert.Equal(30_000, Handle.ListElements(Table, "big").Count);
    }

    [Fact]
    public void Commit_TwentyThousandMessages_NoAckOverrun()
    {
        // Elements alternating between two sets: one message each, 20,002 messages in one transaction.
        var batch = new NftBatch().AddTable(Table)
            .AddSet(new NftSet(Table, "a", [NftDataType.Ipv4Address]))
            .AddSet(new NftSet(Table, "b", [NftDataType.Ipv4Address]));
        for (var i = 0; i < 10_000; i++)
        {
            batch.AddElement(Table, "a", [10, 1, (byte)(i >> 8), (byte)i]).AddElement(Table, "b", [10, 2, (byte)(i >> 8), (byte)i]);
        }
        Assert.Equal(20_003, batch.Count);

        Handle.Commit(batch);

        Assert.Equal(10_000, Handle.ListElements(Table, "a").Count);
        Assert.Equal(10_000, Handle.ListElements(Table, "b").Count);
    }

    [Fact]
    public void FlushChainAndRewrite_ReplacesOnlyThatChain()
    {
        Handle.Commit(Build());
        var rewrite = new NftBatch().FlushChain(Table, "fw-rn12").AddRule(new NftRule(Table, "fw-rn12", [NftExpression.Verdict(NftVerdict.Drop)], "rewritten"));

        Handle.Commit(rewrite);

        var listed = _scope.Nft("list", "chain", "inet", Table, "fw-rn12");
        Assert.Contains("drop comment \"rewritten\"", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("ct state", listed, StringComparison.Ordinal);
        Assert.Equal(2, Handle.ListRules(Table, "forward").Count);
    }

    [Fact]
    public void Commit_OneBadMessage_NamedAndNothingApplied()
    {
        // The bad message in the middle, good ones after it: only the last asks for an ack.
        var batch = new NftBatch()
            .AddTable(Table)
            .AddChain(Chains[1])
            .AddRule(new NftRule(Table, "nosuch", [NftExpression.Verdict(NftVerdict.Accept)], "x"))
            .AddRule(new NftRule(Table, Chains[1].Name, [NftExpression.Verdict(NftVerdict.Accept)]))
            .AddSet(Sets[0]);

        var error = Assert.Throws<NetlinkException>(() => Handle.Commit(batch));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal("add rule inet routednet nosuch comment \"x\"", error.Operation);
        Assert.DoesNotContain(Handle.ListTables(), t => t.Name == Table);
    }

    [Fact]
    public void Commit_StaleGeneration_RefusedWithClearError()
    {
        var generation = Handle.GetGeneration();
        _scope.Nft("add", "table", "inet", "someone-else");
        Assert.NotEqual(generation, Handle.GetGeneration());

        var error = Assert.Throws<NetlinkException>(() => Handle.Commit(new NftBatch().AddTable(Table), generation));

        Assert.Equal(Errno.ERESTART, error.Errno);
        Assert.Contains("the ruleset changed since", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Handle.ListTables(), t => t.Name == Table);
        Handle.Commit(new NftBatch().AddTable(Table), Handle.GetGeneration());
        Assert.Contains(Handle.ListTables(), t => t.Name == Table);
    }

    [Fact]
    public void DeleteTable_RemovesEverything()
    {
        Handle.Commit(Build());

        Handle.Commit(new NftBatch().DeleteTable(Table));

        Assert.DoesNotContain(Handle.ListTables(), t => t.Name == Table);
        Assert.Equal("", _scope.Nft("list", "ruleset"));
    }

    [Fact]
    public void DropRule_DropsPingBetweenNamespaces_AndFlushLetsItThrough()
    {
        Tools.Require("/usr/bin/ping", "iputils-ping");
        using var peer = NetNs.Create("rnnft");
        _scope.Ns.Link("rnnft0", peer, "rnnft1", "192.168.77.1/24", "192.168.77.2/24");
        Assert.Equal(0, Ping());
        var dropToPeer = new NftRule(Table, "out",
        [
            NftExpression.MetaLoad(NftMetaKey.NetfilterProtocol), NftExpression.CompareHost(NftCompareOp.Equal, 2, length: 1),
            NftExpression.PayloadLoad(NftPayloadBase.Network, 16, 4), NftExpression.Compare(NftCompareOp.Equal, [192, 168, 77, 2]),
            NftExpression.Counter(), NftExpression.Verdict(NftVerdict.Drop),
        ]);

        Handle.Commit(new NftBatch().AddTable(Table).AddChain(new NftChain(Table, "out", NftHook.Output, 0, NftVerdict.Accept)).AddRule(dropToPeer));

        Assert.NotEqual(0, Ping());
        var counter = Handle.ListRules(Table, "out").Single().Expressions.Single(e => e.Name == "counter");
        Assert.True(counter.TryGetCounter(out var packets, out _));
        Assert.True(packets >= 1, $"the drop rule counted {packets} packets");

        Handle.Commit(new NftBatch().FlushChain(Table, "out"));

        Assert.Equal(0, Ping());
    }

    // nft wraps long element lists; one space for every run of white space.
    private string ListSet(string name) =>
        System.Text.RegularExpressions.Regex.Replace(_scope.Nft("list", "set", "inet", Table, name), @"\s+", " ");

    private int Ping() => _scope.Ns.Exec("ping", "-c", "1", "-W", "1", "192.168.77.2").ExitCode;
}
