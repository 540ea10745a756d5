namespace RoutedNet.Ctl.Lab.Netpol;

/// <summary>One probe line: protocol (TCP, UDP, SCTP), port, and the expected 81 cells ('.' allowed, 'X' blocked, '-' loopback).</summary>
internal sealed record NetpolProbe(string Protocol, int Port, string Expect)
{
    public override string ToString() => $"{Protocol}/{Port}";
}
