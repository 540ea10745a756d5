using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RoutedNet.Ctl.Output;

/// <summary>
/// Streams one list answer ({head…, NAME: [items], tail…}) in the form `-o` asked for, holding at
/// most <see cref="WidthRows"/> rows: JSON goes straight out through one writer; YAML item by item
/// (each item's tree converted alone); a table takes its column widths from the first rows, and a
/// later, wider cell still keeps three spaces before the next column.
/// </summary>
internal sealed class ListOutput<T> : IAsyncDisposable
{
    /// <summary>Rows read before a table's widths are fixed.</summary>
    public const int WidthRows = 1000;

    private const int FlushBytes = 64 * 1024;
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    private readonly OutputFormat _format;
    private readonly ListView<T> _view;
    private readonly Stream _stream;
    private readonly StreamWriter _text;
    private readonly Utf8JsonWriter? _json;
    private readonly ArrayBufferWriter<byte> _itemBuffer = new();
    private readonly List<IReadOnlyList<string>> _pending = [];
    private int[]? _widths;
    private bool _anyItem;

    public ListOutput(OutputFormat format, ListView<T> view, Stream stream, Action<Utf8JsonWriter>? head)
    {
        _format = format;
        _view = view;
        _stream = stream;
        _text = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        switch (format)
        {
            case OutputFormat.Json:
                _json = new Utf8JsonWriter(stream, Indented);
                _json.WriteStartObject();
                head?.Invoke(_json);
                _json.WriteStartArray(view.Name);
                break;
            case OutputFormat.Yaml:
                if (head is not null)
                {
                    _text.Write(Yaml(w =>
                    {
                        w.WriteStartObject();
                        head(w);
                        w.WriteEndObject();
                    }));
                }
                break;
        }
    }

    private bool Wide => _format == OutputFormat.Wide;

    private IEnumerable<string> AllHeaders => Wide ? _view.Headers.Concat(_view.WideHeaders) : _view.Headers;

    public async Task AddAsync(T item)
    {
        switch (_format)
        {
            case OutputFormat.Json:
                _view.Write(_json!, item);
                if (_json!.BytesPending > FlushBytes)
                {
                    await _json.FlushAsync().ConfigureAwait(false);
                }
                break;
            case OutputFormat.Yaml:
                if (!_anyItem)
                {
                    _text.Write(YamlKey(_view.Name) + ":\n");
                }
                WriteYamlItem(item);
                break;
            default:
                var cells = _view.Cells(item, Wide);
                if (_widths is null)
                {
                    _pending.Add(cells);
                    if (_pending.Count >= WidthRows)
                    {
                        WritePending();
                    }
                }
                else
                {
                    WriteRow(cells);
                }
                break;
        }
        _anyItem = true;
    }

    /// <summary>Ends the list; <paramref name="tail"/> adds properties after it (JSON/YAML), <paramref name="footer"/> lines after the table.</summary>
    public async Task EndAsync(Action<Utf8JsonWriter>? tail, string? footer)
    {
        switch (_format)
        {
            case OutputFormat.Json:
                _json!.WriteEndArray();
                tail?.Invoke(_json);
                _json.WriteEndObject();
                await _json.FlushAsync().ConfigureAwait(false);
                await _stream.WriteAsync("\n"u8.ToArray()).ConfigureAwait(false);
                break;
            case OutputFormat.Yaml:
                if (!_anyItem)
                {
                    _text.Write(YamlKey(_view.Name) + ": []\n");
                }
                if (tail is not null)
                {
                    _text.Write(Yaml(w =>
                    {
                        w.WriteStartObject();
                        tail(w);
                        w.WriteEndObject();
                    }));
                }
                break;
            default:
                if (_widths is null)
                {
                    WritePending();
                }
                if (footer is not null)
                {
                    _text.Write(footer);
                }
                break;
        }
        await _text.FlushAsync().ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
    }

    private void WritePending()
    {
        var headers = AllHeaders.ToList();
        _widths = [.. headers.Select((h, i) => Math.Max(h.Length, _pending.Count == 0 ? 0 : _pending.Max(r => i < r.Count ? r[i].Length : 0)))];
        WriteRow(headers);
        foreach (var row in _pending)
        {
            WriteRow(row);
        }
        _pending.Clear();
    }

    private void WriteRow(IReadOnlyList<string> cells)
    {
        var last = _widths!.Length - 1;
        for (var i = 0; i <= last; i++)
        {
            var cell = i < cells.Count ? cells[i] : "";
            if (i == last)
            {
                _text.Write(cell);
                break;
            }
            _text.Write(cell);
            for (var pad = Math.Max(_widths[i] - cell.Length, 0) + 3; pad > 0; pad--)
            {
                _text.Write(' ');
            }
        }
        _text.Write('\n');
    }

    // One item as a YAML sequence entry: "- " before its first line, two spaces before the others.
    private void WriteYamlItem(T item)
    {
        var yaml = Yaml(w => _view.Write(w, item)).AsSpan().TrimEnd('\n');
        var first = true;
        foreach (var line in yaml.EnumerateLines())
        {
            _text.Write(first ? "- " : "  ");
            _text.Write(line);
            _text.Write('\n');
            first = false;
        }
    }

    private string Yaml(Action<Utf8JsonWriter> write)
    {
        _itemBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_itemBuffer))
        {
            write(writer);
        }
        using var document = JsonDocument.Parse(_itemBuffer.WrittenMemory);
        return YamlWriter.Write(document.RootElement);
    }

    private string YamlKey(string name)
    {
        _itemBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_itemBuffer))
        {
            writer.WriteStartObject();
            writer.WriteNull(name);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(_itemBuffer.WrittenMemory);
        var line = YamlWriter.Write(document.RootElement);
        return line[..line.LastIndexOf(':')];
    }

    public async ValueTask DisposeAsync()
    {
        if (_json is not null)
        {
            await _json.DisposeAsync().ConfigureAwait(false);
        }
        await _text.DisposeAsync().ConfigureAwait(false);
    }
}
