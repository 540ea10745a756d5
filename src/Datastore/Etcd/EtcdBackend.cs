using RoutedNet.Datastore.Backend;
using RoutedNet.Datastore.Etcd.Proto;

namespace RoutedNet.Datastore.Etcd;

/// <summary>
/// The distributed store: etcd v3 over gRPC. Every key's mod_revision is the resourceVersion;
/// a write is one Txn whose compares are the preconditions and whose failure branch reads the
/// keys back, so a lost race costs one round trip and still names the exact error.
/// </summary>
internal sealed partial class EtcdBackend : IStoreBackend
{
    private readonly EtcdEndpoints _endpoints;
    private readonly TimeProvider _time;

    public EtcdBackend(IReadOnlyList<Uri> endpoints, TimeProvider? time = null, EtcdSecurity? security = null)
    {
        _endpoints = new EtcdEndpoints(endpoints, security);
        _time = time ?? TimeProvider.System;
    }

    public async Task<StoredEntry?> GetAsync(string kind, string name, CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = EtcdKeys.Key(kind, name) };
        var response = await _endpoints.CallAsync(
            (channel, options) => new KV.KVClient(channel).RangeAsync(request, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : Entry(kind, response.Kvs[0]);
    }

    public async Task<StoredList> ListAsync(string kind, CancellationToken cancellationToken)
    {
        // etcd returns a range sorted by key, i.e. by name, at one revision.
        var request = new RangeRequest { Key = EtcdKeys.Prefix(kind), RangeEnd = EtcdKeys.PrefixEnd(kind) };
        var response = await _endpoints.CallAsync(
            (channel, options) => new KV.KVClient(channel).RangeAsync(request, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return new StoredList(response.Kvs.Select(kv => Entry(kind, kv)).ToList(), response.Header.Revision);
    }

    public async Task<long> CommitAsync(IReadOnlyList<WriteOp> ops, CancellationToken cancellationToken)
    {
        var request = new TxnRequest();
        foreach (var op in ops)
        {
            var key = EtcdKeys.Key(op.Kind, op.Name);
            request.Compare.Add(Precondition(op, key));
            request.Success.Add(op.Type == WriteOpType.Delete
                ? new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } }
                : new RequestOp { RequestPut = new PutRequest { Key = key, Value = Google.Protobuf.ByteString.CopyFrom(op.Value) } });
            request.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key, KeysOnly = true } });
        }
        var response = await _endpoints.CallAsync(
            (channel, options) => new KV.KVClient(channel).TxnAsync(request, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return response.Header.Revision;
        }
        // The failure branch ran at the same revision as the compares: the first op whose key
        // no longer fits its precondition is the reason.
        for (var i = 0; i < ops.Count; i++)
        {
            var kvs = response.Responses[i].ResponseRange.Kvs;
            if (Preconditions.Check(ops[i], kvs.Count == 0 ? null : kvs[0].ModRevision) is { } error)
            {
                throw error;
            }
        }
        throw new RevisionConflictException($"etcd transaction on {ops[0].Kind} \"{ops[0].Name}\" failed its preconditions");
    }

    public ValueTask DisposeAsync()
    {
        _endpoints.Dispose();
        return ValueTask.CompletedTask;
    }

    private static StoredEntry Entry(string kind, Proto.KeyValue kv) =>
        new(kind, EtcdKeys.NameOf(kind, kv.Key), kv.Value.ToByteArray(), kv.ModRevision);

    // An absent key has create_revision 0 and mod_revision 0.
    private static Compare Precondition(WriteOp op, Google.Protobuf.ByteString key) => op switch
    {
        { Type: WriteOpType.Create } =>
            new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 },
        { ExpectedRevision: { } expected } =>
            new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = expected },
        _ =>
            new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Greater, CreateRevision = 0 },
    };
}
