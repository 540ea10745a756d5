namespace RoutedNet.Tests.IpamDriver;

/// <summary>The driver's command line.</summary>
internal sealed record DriverOptions
{
    public string? Datastore { get; private init; }

    public string? Kubeconfig { get; private init; }

    public string? Node { get; private init; }

    public string? Prefix { get; private init; }

    public int Count { get; private init; } = int.MaxValue;

    public bool NoTransactions { get; private init; }

    public bool Cache { get; private init; }

    public string? Error { get; private init; }

    public static DriverOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "churn")
        {
            return new DriverOptions { Error = "usage: churn --datastore URL [--kubeconfig PATH] [--no-transactions] [--cache] --node NODE --prefix P [--count N]" };
        }
        var options = new DriverOptions();
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : "";
            options = args[i] switch
            {
                "--datastore" => options with { Datastore = Value() },
                "--kubeconfig" => options with { Kubeconfig = Value() },
                "--node" => options with { Node = Value() },
                "--prefix" => options with { Prefix = Value() },
                "--count" => options with { Count = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--no-transactions" => options with { NoTransactions = true },
                "--cache" => options with { Cache = true },
                _ => options with { Error = $"unknown argument {args[i]}" },
            };
        }
        return options.Error is null && (options.Datastore is null || options.Node is null || options.Prefix is null)
            ? options with { Error = "--datastore, --node and --prefix are required" }
            : options;
    }
}
