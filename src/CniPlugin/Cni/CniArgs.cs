namespace RoutedNet.CniPlugin.Cni;

/// <summary>
/// CNI_ARGS: "KEY=VALUE;KEY=VALUE" (e.g. "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p").
/// Keys we do not know are accepted whatever IgnoreUnknown says: runtimes add their own freely.
/// </summary>
internal sealed class CniArgs
{
    private readonly Dictionary<string, string> _values;

    private CniArgs(Dictionary<string, string> values) => _values = values;

    public static CniArgs Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public string? PodNamespace => Get("K8S_POD_NAMESPACE");

    public string? PodName => Get("K8S_POD_NAME");

    public string? Get(string key) => _values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    public static CniArgs Parse(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS: '{pair}' is not KEY=VALUE");
            }
            values[pair[..eq]] = pair[(eq + 1)..];
        }
        return new CniArgs(values);
    }
}
