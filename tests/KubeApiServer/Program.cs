// Placeholder until the stand-in lands: refuses to run, so nothing mistakes it for a server.
Console.Error.WriteLine("routednet-test-apiserver: not built yet");
return 1;
