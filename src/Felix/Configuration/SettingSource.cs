namespace RoutedNet.Felix.Configuration;

/// <summary>A raw setting and where it came from, for error messages.</summary>
internal readonly record struct SettingValue(string Value, string Origin);

/// <summary>Looks a setting up in flags, then the environment, then the YAML file.</summary>
internal sealed class SettingSource(IReadOnlyDictionary<Setting, string> flags, Func<string, string?> environment)
{
    public IReadOnlyDictionary<string, string> File { get; set; } = new Dictionary<string, string>();
    public string FilePath { get; set; } = "";

    public SettingValue? Find(Setting setting)
    {
        if (flags.TryGetValue(setting, out var flag))
        {
            return new SettingValue(flag, setting.Flag);
        }
        if (environment(setting.Env) is { Length: > 0 } env)
        {
            return new SettingValue(env, $"env {setting.Env}");
        }
        if (setting.YamlKey.Length > 0 && File.TryGetValue(setting.YamlKey, out var fromFile))
        {
            return new SettingValue(fromFile, $"{FilePath}: {setting.YamlKey}");
        }
        return null;
    }
}
