using System.Text.Json;

namespace RoutedNet.Ctl.Output;

/// <summary>
/// How one kind of list item prints: its table columns (wide adds <see cref="WideHeaders"/>) and
/// its JSON object (YAML is the same tree). <see cref="CtlOutput.WriteListAsync"/> streams a list
/// through it, so a list of any length prints without being held whole.
/// </summary>
internal sealed class ListView<T>
{
    /// <summary>The property that holds the items in JSON and YAML ("routes", "entries").</summary>
    public required string Name { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    public IReadOnlyList<string> WideHeaders { get; init; } = [];

    /// <summary>The cells of one row: <see cref="Headers"/>, then with wide <see cref="WideHeaders"/>.</summary>
    public required Func<T, bool, IReadOnlyList<string>> Cells { get; init; }

    /// <summary>Writes one item as a JSON object.</summary>
    public required Action<Utf8JsonWriter, T> Write { get; init; }
}
