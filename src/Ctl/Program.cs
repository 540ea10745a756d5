using System.CommandLine;
using RoutedNet.Ctl.Commands;

// routednetctl: resources (apply/create/delete/get) and IPAM operations against the datastore.
var datastore = new Option<string?>("--datastore")
{
    Description = "Datastore URL (sqlite://PATH, etcd://HOST:PORT[,...] or etcds://HOST:PORT[,...] with TLS); default $ROUTEDNET_DATASTORE, else sqlite:///var/lib/routednet/store.db",
    Recursive = true,
};
var root = new RootCommand("routednetctl: manage RoutedNet resources and IP address management") { datastore };
EtcdFlags.AddTo(root);
foreach (var command in ResourceCommands.Build(datastore))
{
    root.Subcommands.Add(command);
}
root.Subcommands.Add(IpamCommands.Build(datastore));
NodeCommands.AddTo(root);
root.Subcommands.Add(RoutedNet.Ctl.Lab.LabCommands.Build());
var parsed = root.Parse(args);
EtcdFlags.Read(parsed);
return await parsed.InvokeAsync().ConfigureAwait(false);
