using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RoutedNet.Felix.Configuration;

/// <summary>
/// Reads the optional YAML config file as a flat map of scalar settings. The representation model
/// is used instead of the object deserializer because it needs no reflection.
/// </summary>
internal static class YamlConfigFile
{
    public static Dictionary<string, string> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"config file {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigurationException($"config file {path}: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static Dictionary<string, string> Parse(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"config file {path}: not valid YAML at line {e.Start.Line}: {e.Message}", e);
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return values;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new ConfigurationException($"config file {path}: expected a mapping of settings at the top level");
        }
        var known = Setting.All.Select(s => s.YamlKey).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!known.Contains(key))
            {
                throw new ConfigurationException(
                    $"config file {path}: unknown setting '{key}' (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
            if (valueNode is not YamlScalarNode scalar)
            {
                throw new ConfigurationException($"config file {path}: '{key}' must be a single value");
            }
            values[key] = scalar.Value ?? "";
        }
        return values;
    }
}
