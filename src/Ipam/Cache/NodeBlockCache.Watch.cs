using System.Net;
using RoutedNet.Common;
using RoutedNet.Datastore;
using RoutedNet.Datastore.Resources;
using RoutedNet.Ipam.Blocks;
using RoutedNet.Ipam.Pools;

namespace RoutedNet.Ipam.Cache;

public sealed partial class NodeBlockCache
{
    private static readonly TimeSpan MinRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    /// <summary>
    /// List, then watch from the list's revision; a compacted revision (410 on Kubernetes), a
    /// broken watch or a store error marks the kind unknown (callers read the store meanwhile) and
    /// lists again, after a capped backoff for errors. A relist replaces the whole set, so whatever
    /// was deleted in between disappears.
    /// </summary>
    private async Task FollowAsync<T>(Action<IReadOnlyList<T>> replace, Action<WatchEvent<T>> apply, Action<bool> synced, TaskCompletionSource listed)
        where T : Resource, IResourceKind<T>
    {
        var cancellationToken = _stop.Token;
        var backoff = new Backoff(MinRetry, MaxRetry);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await _store.ListAsync<T>(cancellationToken).ConfigureAwait(false);
                replace(list.Items);
                synced(true);
                listed.TrySetResult();
                backoff.Reset();
                await foreach (var change in _store.WatchAsync<T>(list.ResourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    apply(change);
                }
                synced(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RevisionCompactedException)
            {
                // The history we missed is gone: the relist just below is the cure.
                synced(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A broken connection, a timeout, a store error: known nothing until listed again.
                synced(false);
                try
                {
                    await backoff.DelayAsync(_time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        synced(false);
        listed.TrySetCanceled(cancellationToken);
    }

    private void ReplaceBlocks(IReadOnlyList<IPAMBlock> blocks)
    {
        lock (_gate)
        {
            _blocks.Clear();
            foreach (var block in blocks)
            {
                Keep(block);
            }
        }
    }

    private void ApplyBlock(WatchEvent<IPAMBlock> change)
    {
        lock (_gate)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                if (_blocks.TryGetValue(change.Object.Metadata.Name, out var held) && IsNewer(change.Object, held))
                {
                    _blocks.Remove(change.Object.Metadata.Name);
                }
                return;
            }
            Keep(change.Object);
        }
    }

    private void ReplaceAffinities(IReadOnlyList<BlockAffinity> affinities)
    {
        lock (_gate)
        {
            _affinities.Clear();
            foreach (var affinity in affinities)
            {
                Keep(affinity);
            }
        }
    }

    private void ApplyAffinity(WatchEvent<BlockAffinity> change)
    {
        lock (_gate)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                if (_affinities.TryGetValue(change.Object.Metadata.Name, out var held) && IsNewer(change.Object, held))
                {
                    _affinities.Remove(change.Object.Metadata.Name);
                }
                return;
            }
            Keep(change.Object);
        }
    }

    private void ReplacePools(IReadOnlyList<IPPool> pools)
    {
        lock (_gate)
        {
            _poolsByName.Clear();
            foreach (var pool in pools)
            {
                _poolsByName[pool.Metadata.Name] = pool;
            }
            RebuildPools();
        }
    }

    private void ApplyPool(WatchEvent<IPPool> change)
    {
        lock (_gate)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                _poolsByName.Remove(change.Object.Metadata.Name);
            }
            else
            {
                _poolsByName[change.Object.Metadata.Name] = change.Object;
            }
            RebuildPools();
        }
    }

    // The store validated every pool it holds; one that no longer parses is left out, as a list
    // that skips an undecodable object would.
    private void RebuildPools()
    {
        var views = new List<PoolView>(_poolsByName.Count);
        foreach (var pool in _poolsByName.Values.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            if (IPNetwork.TryParse(pool.Spec.Cidr, out _))
            {
                views.Add(PoolView.From(pool));
            }
        }
        _pools = views;
    }

    private void ReplaceConfig(IReadOnlyList<IPAMConfig> configs)
    {
        lock (_gate)
        {
            _config = configs.FirstOrDefault(c => c.Metadata.Name == IPAMConfigSpec.DefaultName)?.Spec;
        }
    }

    private void ApplyConfig(WatchEvent<IPAMConfig> change)
    {
        if (change.Object.Metadata.Name != IPAMConfigSpec.DefaultName)
        {
            return;
        }
        lock (_gate)
        {
            _config = change.Type == WatchEventType.Deleted ? null : change.Object.Spec;
        }
    }

    // Caller holds _gate. Only the node's own blocks are kept; one that changed owner leaves.
    private void Keep(IPAMBlock block)
    {
        var name = block.Metadata.Name;
        if (_blocks.TryGetValue(name, out var held) && !IsNewer(block, held))
        {
            return;
        }
        if (!block.Spec.Deleted && BlockNames.NodeOf(block.Spec.Affinity) == Node)
        {
            _blocks[name] = block;
        }
        else
        {
            _blocks.Remove(name);
        }
    }

    // Caller holds _gate.
    private void Keep(BlockAffinity affinity)
    {
        var name = affinity.Metadata.Name;
        if (_affinities.TryGetValue(name, out var held) && !IsNewer(affinity, held))
        {
            return;
        }
        if (affinity.Spec.Node == Node)
        {
            _affinities[name] = affinity;
        }
        else
        {
            _affinities.Remove(name);
        }
    }

    /// <summary>
    /// Whether <paramref name="incoming"/> is a later version than <paramref name="held"/>: a watch
    /// event may arrive after this process already put its own newer write here. resourceVersions
    /// are opaque (compare for equality only, says the Kubernetes API), but sqlite, etcd and a real
    /// kube-apiserver all hand out increasing integers; where either is not one, the incoming
    /// version is taken. A wrong guess only costs one CAS conflict and one re-read.
    /// </summary>
    private static bool IsNewer(Resource incoming, Resource held) =>
        !ulong.TryParse(incoming.Metadata.ResourceVersion, out var a)
        || !ulong.TryParse(held.Metadata.ResourceVersion, out var b)
        || a > b;
}
