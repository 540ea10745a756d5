using RoutedNet.Ctl;

// routednetctl: resources (apply/create/delete/get/label), IPAM, the node agent's state, the lab.
// (What ships is routednet-node's binary under this name: see CtlProgram.)
return await CtlProgram.RunAsync(args).ConfigureAwait(false);
