namespace RoutedNet.Policy.Tests.Conformance;

/// <summary>One probe line: protocol, port and the expected 81 cells (whitespace ignored).</summary>
public sealed record NetpolProbe(string Protocol, int Port, string Expect)
{
    public string Cells => string.Concat(Expect.Where(c => !char.IsWhiteSpace(c)));
}
