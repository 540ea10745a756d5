namespace RoutedNet.Ctl.Output;

/// <summary>`-o`: what every command that prints data can print (kubectl's names).</summary>
internal enum OutputFormat
{
    /// <summary>Columns for people (the default).</summary>
    Table,

    /// <summary>The table with more columns.</summary>
    Wide,

    /// <summary>One JSON document, for scripts.</summary>
    Json,

    /// <summary>The same tree as JSON, as YAML.</summary>
    Yaml,
}
