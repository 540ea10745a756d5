using RoutedNet.RrClients;

const string Usage = "usage: RoutedNet.RrClients rr=ADDRESS:PORT [clients=1000] [pattern=burst|stagger] [changes=20] [idle=20] [hold=90] [timeout=120] [open-wait=10]";
var options = FleetOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine($"{error}\n{Usage}");
    return 2;
}
// Thousands of sockets' continuations on a 2-core machine: enough pool threads from the start
// that the clients' own scheduling does not show up as reflector latency.
ThreadPool.SetMinThreads(8, 8);
return await new Fleet(options).RunAsync();
