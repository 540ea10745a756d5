using System.Net;
using RoutedNet.Felix.Workloads;

namespace RoutedNet.Felix.Tests.Workloads;

/// <summary>The agent's reading of the CNI plugin's attachment records (DATADIR/NETWORK/VETH: container, ifname, addresses).</summary>
public sealed class LocalAttachmentWatcherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rn-records-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Record(string network, string veth, string text)
    {
        Directory.CreateDirectory(Path.Combine(_dir, network));
        File.WriteAllText(Path.Combine(_dir, network, veth), text);
    }

    [Fact]
    public void ReadAll_RecordsOfEveryNetwork_AddressesParsedOthersSkipped()
    {
        Record("k8s", "rn00000000000a1", "c1\neth0\n10.244.1.5/32\nfd00::5/128\n");
        Record("other", "rn00000000000b2", "c2\neth0\n10.9.0.1/32\n");
        Record("k8s", "rn00000000000c3.42.tmp", "c3\neth0\n10.244.1.7/32\n");
        Record("k8s", "notaveth", "c4\neth0\n10.244.1.8/32\n");
        Record("k8s", "rn00000000000d4", "c5\n");

        var records = AttachmentRecordReader.ReadAll(_dir);

        Assert.Equal(["k8s/rn00000000000a1", "other/rn00000000000b2"], records.Select(r => $"{r.Network}/{r.HostInterface}"));
        Assert.Equal([IPNetwork.Parse("10.244.1.5/32"), IPNetwork.Parse("fd00::5/128")], records[0].Addresses);
        Assert.Equal(("c1", "eth0"), (records[0].ContainerId, records[0].IfName));
    }

    [Fact]
    public void ReadAll_RecordThatAWorkloadEndpointDescribes_AwaitsItsEndpoint()
    {
        Record("k8s", "rn00000000000a1", "c1\neth0\n10.244.1.5/32\nendpoint=datastore\n");
        Record("k8s", "rn00000000000b2", "c2\neth0\n10.244.1.6/32\n");

        var records = AttachmentRecordReader.ReadAll(_dir);

        Assert.Equal([true, false], records.Select(r => r.AwaitsEndpoint));
        Assert.Equal([IPNetwork.Parse("10.244.1.5/32")], records[0].Addresses);
    }

    [Fact]
    public void ReadAll_NoDirectory_Empty()
    {
        Assert.Empty(AttachmentRecordReader.ReadAll(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void Read_VethGone_RecordLeftOut()
    {
        Record("k8s", "rn00000000000a1", "c1\neth0\n10.244.1.5/32\n");
        Record("k8s", "rn00000000000b2", "c2\neth0\n10.244.1.6/32\n");
        var watcher = new LocalAttachmentWatcher(_dir, TimeSpan.FromSeconds(30), TimeProvider.System, () => new HashSet<string> { "rn00000000000b2" });

        Assert.Equal(["rn00000000000b2"], watcher.Read().Select(r => r.HostInterface));
    }

    [Fact]
    public async Task RunAsync_DirectoryMissingAtStart_NotMadeAndFollowedOnceThePluginMakesIt()
    {
        var dataDir = Path.Combine(_dir, "later");
        var published = new System.Collections.Concurrent.BlockingCollection<IReadOnlyList<LocalAttachment>>();
        var watcher = new LocalAttachmentWatcher(dataDir, TimeSpan.FromHours(1), TimeProvider.System, () => new HashSet<string> { "rn00000000000a1" });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(published.Add, _ => { }, stop.Token);
        Assert.True(published.TryTake(out var first, TimeSpan.FromSeconds(30)));
        Assert.Empty(first);
        Assert.False(Directory.Exists(dataDir));

        Directory.CreateDirectory(Path.Combine(dataDir, "k8s"));
        File.WriteAllText(Path.Combine(dataDir, "k8s", "rn00000000000a1"), "c1\neth0\n10.244.1.5/32\n");

        Assert.True(published.TryTake(out var second, TimeSpan.FromSeconds(30)), "the record in the new directory was never published");
        Assert.Equal("rn00000000000a1", Assert.Single(second).HostInterface);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task RunAsync_RecordWrittenAfterStart_PublishedWithoutWaitingForTheRescan()
    {
        var published = new System.Collections.Concurrent.BlockingCollection<IReadOnlyList<LocalAttachment>>();
        var watcher = new LocalAttachmentWatcher(_dir, TimeSpan.FromHours(1), TimeProvider.System, () => new HashSet<string> { "rn00000000000a1" });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(published.Add, _ => { }, stop.Token);
        Assert.True(published.TryTake(out var first, TimeSpan.FromSeconds(30)));
        Assert.Empty(first);

        Record("k8s", "rn00000000000a1", "c1\neth0\n10.244.1.5/32\n");

        Assert.True(published.TryTake(out var second, TimeSpan.FromSeconds(30)), "no publication after the record was written");
        Assert.Equal("rn00000000000a1", Assert.Single(second).HostInterface);
        await stop.CancelAsync();
        await running;
    }

    // Only the records inotify names are read again: a record the plugin replaces (written to a
    // temporary file, then renamed over) and one it deletes are each published at once, with the
    // others as they were, and the rescan an hour away.
    [Fact]
    public async Task RunAsync_RecordReplacedThenDeleted_EachPublishedWithTheOthersKept()
    {
        Record("k8s", "rn00000000000a1", "c1\neth0\n10.244.1.5/32\n");
        Record("k8s", "rn00000000000b2", "c2\neth0\n10.244.1.6/32\n");
        var published = new System.Collections.Concurrent.BlockingCollection<IReadOnlyList<LocalAttachment>>();
        var watcher = new LocalAttachmentWatcher(_dir, TimeSpan.FromHours(1), TimeProvider.System, () => new HashSet<string> { "rn00000000000a1", "rn00000000000b2" });
        using var stop = new CancellationTokenSource();
        var running = watcher.RunAsync(published.Add, _ => { }, stop.Token);
        Assert.True(published.TryTake(out var first, TimeSpan.FromSeconds(30)));
        Assert.Equal(["c1", "c2"], first.Select(r => r.ContainerId));

        Record("k8s", "rn00000000000a1.7.tmp", "c9\neth0\n10.244.1.9/32\nendpoint=datastore\n");
        File.Move(Path.Combine(_dir, "k8s", "rn00000000000a1.7.tmp"), Path.Combine(_dir, "k8s", "rn00000000000a1"), overwrite: true);

        Assert.True(published.TryTake(out var replaced, TimeSpan.FromSeconds(30)), "the replaced record was never published");
        Assert.Equal([("c9", true), ("c2", false)], replaced.Select(r => (r.ContainerId, r.AwaitsEndpoint)));
        Assert.Equal([IPNetwork.Parse("10.244.1.9/32")], replaced[0].Addresses);

        File.Delete(Path.Combine(_dir, "k8s", "rn00000000000b2"));

        Assert.True(published.TryTake(out var deleted, TimeSpan.FromSeconds(30)), "the deletion was never published");
        Assert.Equal(["c9"], deleted.Select(r => r.ContainerId));
        await stop.CancelAsync();
        await running;
    }
}
