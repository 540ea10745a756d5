namespace RoutedNet.Ipam.Tests.Stores;

/// <summary>The process "died" here: nothing after this point reaches the store.</summary>
internal sealed class SimulatedCrashException() : Exception("simulated crash");
