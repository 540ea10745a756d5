using RoutedNet.Ctl;

// routednetctl: resources (apply/create/delete/get/label), IPAM, the node agent's state, the lab.
return await CtlCommandLine.InvokeAsync(CtlRoot.Build(), args).ConfigureAwait(false);
