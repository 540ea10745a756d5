namespace RoutedNet.Felix.Hosting;

/// <summary>
/// One component's health. <see cref="Ready"/> is sticky once reached: a later failure makes the
/// component degraded (reported with its error) but does not flip readiness, so one peer or one
/// failed write does not make the node flap out of service.
/// </summary>
public sealed record ComponentHealth(string Name, bool Ready, bool Degraded, string Detail);
