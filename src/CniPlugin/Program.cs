// One binary, two CNI plugins; which one runs is decided by the name it was executed under.
return RoutedNet.CniPlugin.PluginRoles.Run(Environment.GetCommandLineArgs()[0], args);
