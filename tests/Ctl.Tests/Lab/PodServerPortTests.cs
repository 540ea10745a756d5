using RoutedNet.Ctl.Lab;
using RoutedNet.Datastore.Resources;

namespace RoutedNet.Ctl.Tests.Lab;

/// <summary>`lab add-pod --port NAME=PORT/PROTO`.</summary>
public class PodServerPortTests
{
    [Theory]
    [InlineData("serve-80-tcp=80/TCP", "serve-80-tcp", "TCP", 80)]
    [InlineData("serve-81-udp=81/udp", "serve-81-udp", "UDP", 81)]
    [InlineData("serve-80-sctp=80/Sctp", "serve-80-sctp", "SCTP", 80)]
    [InlineData("http=8080", "http", "TCP", 8080)]
    public void ParsePort_Valid_NameProtocolUpperCasePort(string text, string name, string protocol, int port)
    {
        Assert.Equal(new EndpointPort { Name = name, Protocol = protocol, Port = port }, PodServer.ParsePort(text));
    }

    [Theory]
    [InlineData("80/TCP")]
    [InlineData("=80/TCP")]
    [InlineData("p=0/TCP")]
    [InlineData("p=65536/TCP")]
    [InlineData("p=80/ICMP")]
    [InlineData("Upper=80/TCP")]
    [InlineData("a-name-longer-than-15=80/TCP")]
    public void ParsePort_Invalid_OneLineNamingTheSyntax(string text)
    {
        var e = Assert.Throws<CtlException>(() => PodServer.ParsePort(text));

        Assert.StartsWith($"--port \"{text}\" must be NAME=PORT/PROTO", e.Message, StringComparison.Ordinal);
    }
}
