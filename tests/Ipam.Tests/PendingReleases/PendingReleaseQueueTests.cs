using RoutedNet.Ipam.PendingReleases;

namespace RoutedNet.Ipam.Tests.PendingReleases;

/// <summary>
/// Issue 14: the node's queue of CNI DELs waiting for the agent. Entries survive as whole files,
/// one per attachment; the cap holds; an unreadable entry is set aside with a reason and never
/// stops the others.
/// </summary>
public sealed class PendingReleaseQueueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rn-queue-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PendingRelease Entry(string container, bool addresses = true) => new()
    {
        HandleId = $"k8s.{container}.eth0",
        ContainerId = container,
        IfName = "eth0",
        Network = "k8s",
        Pod = "web-" + container,
        Namespace = "default",
        ReleaseAddresses = addresses,
    };

    private static PendingRelease? ReadClean(PendingReleaseQueue queue, string path) =>
        queue.Read(path, (file, problem) => Assert.Fail($"{file} read as corrupt: {problem}"));

    [Fact]
    public void Enqueue_ThenListAndRead_SameEntryBack()
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir);
        var entry = Entry("c1", addresses: false);

        queue.Enqueue(entry);

        var path = Assert.Single(queue.List());
        Assert.Equal(Path.Combine(_dir, PendingReleaseQueue.DirectoryName, PendingRelease.FileNameFor("k8s.c1.eth0")), path);
        Assert.Equal(entry, ReadClean(queue, path));
    }

    [Fact]
    public void Enqueue_SameAttachmentTwice_OneEntry()
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir);

        queue.Enqueue(Entry("c1"));
        queue.Enqueue(Entry("c1"));

        Assert.Equal(1, queue.Count());
    }

    [Fact]
    public void Enqueue_AtCapacity_RefusedNamingTheDirectory_ExistingAttachmentStillReplaced()
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir, capacity: 2);
        queue.Enqueue(Entry("c1"));
        queue.Enqueue(Entry("c2"));

        var full = Assert.Throws<PendingReleaseQueueFullException>(() => queue.Enqueue(Entry("c3")));

        Assert.Contains(queue.Directory, full.Message, StringComparison.Ordinal);
        Assert.Equal(2, queue.Count());
        queue.Enqueue(Entry("c2"));
        Assert.Equal(2, queue.Count());
    }

    [Fact]
    public void LeftoverTemporaryFile_ACrashMidWrite_NeitherListedNorCounted()
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir, capacity: 1);
        queue.Enqueue(Entry("c1"));
        var path = Assert.Single(queue.List());
        // What a plugin killed between write and rename leaves: a dot file with half an entry.
        File.WriteAllText(Path.Combine(queue.Directory, "." + PendingRelease.FileNameFor("k8s.c2.eth0") + ".4242.tmp"), "routednet-pending-release 1\nk8s.c2");
        PendingReleaseQueue.Remove(path);

        Assert.Empty(queue.List());
        Assert.Equal(0, queue.Count());
        queue.Enqueue(Entry("c2"));
        Assert.Equal(Entry("c2"), ReadClean(queue, Assert.Single(queue.List())));
    }

    [Theory]
    [InlineData("routednet-pending-release 1\nk8s.c9.eth0\nc9\n", "expected 8 lines")]
    [InlineData("something else\nk8s.c9.eth0\nc9\neth0\nk8s\np\nns\n1\n", "first line")]
    [InlineData("routednet-pending-release 1\nk8s.c9.eth0\nc9\neth0\nk8s\np\nns\nyes\n", "0 or 1")]
    [InlineData("routednet-pending-release 1\n\nc9\neth0\nk8s\np\nns\n1\n", "empty")]
    [InlineData("routednet-pending-release 1\nk8s.OTHER.eth0\nc9\neth0\nk8s\np\nns\n1\n", "not that of handle")]
    public void Read_CorruptEntry_SetAsideWithReason_OthersStillRead(string text, string reason)
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir);
        queue.Enqueue(Entry("c1"));
        var corrupt = Path.Combine(queue.Directory, PendingRelease.FileNameFor("k8s.c9.eth0"));
        File.WriteAllText(corrupt, text);
        var reported = new List<(string Path, string Problem)>();

        var read = queue.List().Select(p => queue.Read(p, (file, problem) => reported.Add((file, problem)))).ToList();

        Assert.Equal([Entry("c1")], read.OfType<PendingRelease>());
        var (path, problem) = Assert.Single(reported);
        Assert.Equal(corrupt, path);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.False(File.Exists(corrupt));
        Assert.True(File.Exists(corrupt + PendingReleaseQueue.CorruptExtension));
        Assert.Single(queue.List());
    }

    [Fact]
    public void Read_EntryCarriedOutMeanwhile_NullAndNotCorrupt()
    {
        var queue = PendingReleaseQueue.ForDataDir(_dir);
        queue.Enqueue(Entry("c1"));
        var path = Assert.Single(queue.List());
        PendingReleaseQueue.Remove(path);

        Assert.Null(ReadClean(queue, path));
    }

    [Fact]
    public void Format_FieldWithLineBreak_Refused()
    {
        Assert.Throws<ArgumentException>(() => (Entry("c1") with { Pod = "a\nb" }).Format());
    }

    [Fact]
    public void List_NoDirectoryYet_Empty()
    {
        Assert.Empty(PendingReleaseQueue.ForDataDir(Path.Combine(_dir, "nothing")).List());
    }
}
