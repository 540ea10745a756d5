using System.Globalization;
using RoutedNet.BgpFuzz;

// bench/bgp-fuzz: `dotnet run -c Release --project bench/bgp-fuzz -- inproc|socket [cases] [seed]`
//   inproc: the wire codec alone, millions of cases; socket: a live speaker over loopback TCP.
// Exit code 0: every case ended in a designed result; 1: a finding (its bytes are printed for replay).
var mode = args.Length > 0 ? args[0] : "inproc";
var cases = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;

switch (mode)
{
    case "inproc":
        Console.WriteLine($"in-process decoder fuzz: {cases:N0} cases, seed {seed}");
        try
        {
            var report = InProcessFuzzer.Run(seed, cases, progress => Console.WriteLine($"  {progress}"));
            Console.WriteLine(report);
            return 0;
        }
        catch (FuzzFindingException finding)
        {
            Console.Error.WriteLine($"FINDING (seed {seed}): {finding.Message}");
            Console.Error.WriteLine(finding.InnerException);
            return 1;
        }
    case "socket":
    {
        Console.WriteLine($"socket fuzz against an in-process speaker on 127.0.0.1: {cases:N0} cases, seed {seed}");
        // BGP_FUZZ_LOG=1 shows the speaker's own log, to see why it ended a session.
        using var logging = Environment.GetEnvironmentVariable("BGP_FUZZ_LOG") == "1"
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b))
            : null;
        await using (var fuzzer = await SocketFuzzer.StartAsync(logging))
        {
            try
            {
                var report = await fuzzer.RunAsync(seed, cases, Console.WriteLine);
                Console.WriteLine(report);
                return 0;
            }
            catch (FuzzFindingException finding)
            {
                Console.Error.WriteLine($"FINDING (seed {seed}): {finding.Message}");
                Console.Error.WriteLine(finding.InnerException);
                return 1;
            }
        }
    }
    default:
        Console.Error.WriteLine("usage: bgp-fuzz inproc|socket [cases] [seed]");
        return 2;
}
