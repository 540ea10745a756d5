using System.Text.Json.Nodes;

namespace RoutedNet.KubeApiServer.Patching;

/// <summary>
/// metadata.managedFields as server-side apply keeps it: one entry per (manager, operation,
/// subresource) with the leaf fields it owns. Apply entries come from apply requests; Update
/// entries take the fields an update, patch or create changed, away from the other managers.
/// </summary>
public sealed class ManagedFieldSet
{
    public sealed class Entry
    {
        public required string Manager { get; init; }
        public required string Operation { get; init; }
        public string? Subresource { get; init; }
        public required string ApiVersion { get; set; }
        public required string Time { get; set; }
        public HashSet<string> Fields { get; set; } = new(StringComparer.Ordinal);

        public bool Is(string manager, string operation, string? subresource) =>
            Manager == manager && Operation == operation && Subresource == subresource;
    }

    public List<Entry> Entries { get; } = [];

    public static ManagedFieldSet Read(JsonObject obj)
    {
        var set = new ManagedFieldSet();
        foreach (var item in (obj["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            set.Entries.Add(new Entry
            {
                Manager = (string?)item["manager"] ?? "",
                Operation = (string?)item["operation"] ?? "Update",
                Subresource = (string?)item["subresource"],
                ApiVersion = (string?)item["apiVersion"] ?? "",
                Time = (string?)item["time"] ?? "",
                Fields = FieldPaths.FromFieldsV1(item["fieldsV1"] as JsonObject),
            });
        }
        return set;
    }

    public Entry Get(string manager, string operation, string? subresource, string apiVersion, string time)
    {
        var entry = Entries.FirstOrDefault(e => e.Is(manager, operation, subresource));
        if (entry is null)
        {
            entry = new Entry { Manager = manager, Operation = operation, Subresource = subresource, ApiVersion = apiVersion, Time = time };
            Entries.Add(entry);
        }
        entry.ApiVersion = apiVersion;
        entry.Time = time;
        return entry;
    }

    public void Write(JsonObject obj)
    {
        Entries.RemoveAll(e => e.Fields.Count == 0);
        var metadata = (JsonObject)obj["metadata"]!;
        if (Entries.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }
        var array = new JsonArray();
        foreach (var entry in Entries)
        {
            var item = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource is not null)
            {
                item["subresource"] = entry.Subresource;
            }
            array.Add(item);
        }
        metadata["managedFields"] = array;
    }
}
