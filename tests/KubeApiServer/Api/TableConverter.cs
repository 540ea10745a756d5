using System.Globalization;
using System.Text.Json.Nodes;
using RoutedNet.KubeApiServer.Registry;

namespace RoutedNet.KubeApiServer.Api;

/// <summary>
/// The meta.k8s.io/v1 Table that kubectl get asks for (Accept ...;as=Table;g=meta.k8s.io;v=v1):
/// Name plus a CRD version's additionalPrinterColumns (their jsonPath, a date shown as an age,
/// as kube-apiserver renders it), or Name and Age for the built-ins and CRDs without columns.
/// Rows carry the object's metadata (PartialObjectMetadata).
/// </summary>
public static class TableConverter
{
    public static bool Wanted(string accept) =>
        accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    public static JsonObject Convert(ResourceType type, IEnumerable<JsonObject> objects, JsonObject listMetadata, DateTimeOffset now, bool withColumns = true)
    {
        var columns = Columns(type);
        var table = new JsonObject { ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = listMetadata };
        if (withColumns)
        {
            var definitions = new JsonArray();
            foreach (var column in columns)
            {
                definitions.Add(new JsonObject
                {
                    ["name"] = column.Name,
                    ["type"] = column.Type,
                    ["format"] = column.Name == "Name" ? "name" : column.Format,
                    ["description"] = column.Description,
                    ["priority"] = column.Priority,
                });
            }
            table["columnDefinitions"] = definitions;
        }
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray();
            foreach (var column in columns)
            {
                cells.Add(Cell(obj, column, now));
            }
            rows.Add(new JsonObject
            {
                ["cells"] = cells,
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                },
            });
        }
        table["rows"] = rows;
        return table;
    }

    private sealed record Column(string Name, string Type, string Format, string Description, int Priority, string? JsonPath);

    private static List<Column> Columns(ResourceType type)
    {
        var columns = new List<Column> { new("Name", "string", "name", "Name must be unique within a namespace.", 0, ".metadata.name") };
        if (type.PrinterColumns is { Count: > 0 } printer)
        {
            foreach (var column in printer.OfType<JsonObject>())
            {
                columns.Add(new Column((string?)column["name"] ?? "", (string?)column["type"] ?? "string", (string?)column["format"] ?? "",
                    (string?)column["description"] ?? "", (int?)Json.Long(column["priority"]) ?? 0, (string?)column["jsonPath"]));
            }
        }
        else
        {
            columns.Add(new Column("Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, ".metadata.creationTimestamp"));
        }
        return columns;
    }

    private static JsonNode? Cell(JsonObject obj, Column column, DateTimeOffset now)
    {
        var value = Lookup(obj, column.JsonPath ?? "");
        if (value is null)
        {
            return null;
        }
        if (column.Type == "date" && value is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            return HumanDuration(now - when);
        }
        if (column.Type == "string" && value is not JsonValue)
        {
            return Json.Text(value);
        }
        return value.DeepClone();
    }

    /// <summary>A simple JSONPath: .a.b, .a[0].b, optionally wrapped in {}.</summary>
    public static JsonNode? Lookup(JsonObject obj, string path)
    {
        path = path.Trim().TrimStart('{').TrimEnd('}');
        JsonNode? node = obj;
        foreach (var raw in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw;
            int? index = null;
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && int.TryParse(part[(bracket + 1)..^1], CultureInfo.InvariantCulture, out var i))
            {
                index = i;
                part = part[..bracket];
            }
            node = node is JsonObject o ? o[part] : null;
            if (index is not null)
            {
                node = node is JsonArray a && index < a.Count ? a[index.Value] : null;
            }
        }
        return node;
    }

    /// <summary>k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var s = (long)Math.Max(0, d.TotalSeconds);
        if (s < 120)
        {
            return $"{s}s";
        }
        var m = s / 60;
        if (m < 10)
        {
            return s % 60 == 0 ? $"{m}m" : $"{m}m{s % 60}s";
        }
        if (m < 180)
        {
            return $"{m}m";
        }
        var h = m / 60;
        if (h < 8)
        {
            return m % 60 == 0 ? $"{h}h" : $"{h}h{m % 60}m";
        }
        if (h < 48)
        {
            return $"{h}h";
        }
        var days = h / 24;
        if (h < 192)
        {
            return h % 24 == 0 ? $"{days}d" : $"{days}d{h % 24}h";
        }
        if (days < 365 * 2)
        {
            return $"{days}d";
        }
        return $"{days / 365}y";
    }
}
