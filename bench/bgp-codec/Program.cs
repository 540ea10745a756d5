using BenchmarkDotNet.Running;
using RoutedNet.BgpCodecBench;

// `dotnet run -c Release --project bench/bgp-codec -- --filter '*' --job short`
BenchmarkSwitcher.FromAssembly(typeof(UpdateCodecBenchmarks).Assembly).Run(args);
