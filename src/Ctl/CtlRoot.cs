using System.CommandLine;
using RoutedNet.Ctl.Commands;

namespace RoutedNet.Ctl;

/// <summary>Every routednetctl command, in one tree (Program runs it; tests walk it).</summary>
internal static class CtlRoot
{
    public static RootCommand Build()
    {
        var datastore = new Option<string?>("--datastore")
        {
            Description = "Datastore URL (sqlite://PATH, etcd://HOST:PORT[,...] or etcds://HOST:PORT[,...] with TLS, or kubernetes: the API server of --kubeconfig); default $ROUTEDNET_DATASTORE, else sqlite:///var/lib/routednet/store.db",
            Recursive = true,
        };
        var root = new RootCommand("routednetctl: manage RoutedNet resources and IP address management. " + CtlFailure.ExitCodesHelp) { datastore };
        EtcdFlags.AddTo(root);
        KubeconfigFlag.AddTo(root);
        foreach (var command in ResourceCommands.Build(datastore))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(IpamCommands.Build(datastore));
        NodeCommands.AddTo(root, datastore);
        // `policy status` asks an agent; `policy explain` reads the datastore and runs the model.
        var policy = root.Subcommands.First(c => c.Name == "policy");
        policy.Subcommands.Add(PolicyExplainCommand.Build(datastore));
        policy.Subcommands.Add(PolicyTraceCommand.Build(datastore, (Option<string>)policy.Options.First(o => o.Name == "--node-socket")));
        root.Subcommands.Add(Lab.LabCommands.Build());
        return root;
    }
}
