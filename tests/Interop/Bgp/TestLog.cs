using Microsoft.Extensions.Logging;

namespace RoutedNet.Tests.Interop.Bgp;

/// <summary>Speaker logs go to stdout with a timestamp, so a failing run shows the session story.</summary>
internal sealed class TestLog : ILoggerFactory, ILogger
{
    public static ILoggerFactory Factory { get; } = new TestLog();

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} bgp {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");

    public void Dispose()
    {
    }
}
