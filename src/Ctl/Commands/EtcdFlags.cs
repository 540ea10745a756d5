using System.CommandLine;
using RoutedNet.Datastore;

namespace RoutedNet.Ctl.Commands;

/// <summary>
/// calicoctl's etcd flags, on every command: --etcd-ca-cert-file, --etcd-cert-file,
/// --etcd-key-file, --etcd-username, --etcd-password; each falls back to its environment variable
/// (<see cref="EtcdSecurity.Variables"/>), which is the place for the password (a flag shows in ps).
/// </summary>
internal static class EtcdFlags
{
    private static readonly (Option<string?> Option, string Variable)[] All =
    [
        (New("--etcd-ca-cert-file", "PEM file of the CA that signed the etcd members' certificates", EtcdSecurity.CaCertFileVariable), EtcdSecurity.CaCertFileVariable),
        (New("--etcd-cert-file", "PEM client certificate for etcd", EtcdSecurity.CertFileVariable), EtcdSecurity.CertFileVariable),
        (New("--etcd-key-file", "PEM private key of --etcd-cert-file", EtcdSecurity.KeyFileVariable), EtcdSecurity.KeyFileVariable),
        (New("--etcd-username", "etcd user (etcd auth enabled)", EtcdSecurity.UsernameVariable), EtcdSecurity.UsernameVariable),
        (New("--etcd-password", "password of --etcd-username (prefer the environment variable)", EtcdSecurity.PasswordVariable), EtcdSecurity.PasswordVariable),
    ];

    /// <summary>The settings of this invocation, read by <see cref="CtlRunner"/> when it opens the store.</summary>
    public static EtcdSecurity Current { get; private set; } = EtcdSecurity.None;

    public static void AddTo(RootCommand root)
    {
        foreach (var (option, _) in All)
        {
            root.Options.Add(option);
        }
    }

    /// <summary>Flags over environment; called once per process, after parsing.</summary>
    public static void Read(ParseResult parse)
    {
        var values = All.ToDictionary(
            o => o.Variable,
            o => parse.GetValue(o.Option) is { Length: > 0 } flag ? flag : Environment.GetEnvironmentVariable(o.Variable));
        Current = EtcdSecurity.FromEnvironment(name => values.GetValueOrDefault(name));
    }

    private static Option<string?> New(string name, string description, string variable) =>
        new(name) { Description = $"{description} [env {variable}]", Recursive = true };
}
