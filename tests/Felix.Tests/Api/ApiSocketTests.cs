using System.Net.Sockets;
using RoutedNet.Felix.Api;
using RoutedNet.Felix.Configuration;

namespace RoutedNet.Felix.Tests.Api;

/// <summary>
/// `--api-socket` names a path the agent takes over: an old socket of a killed agent is replaced,
/// anything else there (a typo naming a config file, a directory) stays as it was.
/// </summary>
public sealed class ApiSocketTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnt-apisocket-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Prepare_RegularFileAtPath_RefusedAndFileKept()
    {
        var path = Path.Combine(_dir, "config.yaml");
        File.WriteAllText(path, "nodeName: n1\n");

        var error = Assert.Throws<ConfigurationException>(() => ApiSocket.Prepare(path));

        Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("nodeName: n1\n", File.ReadAllText(path));
    }

    [Fact]
    public void Prepare_SymlinkToSocket_RefusedAndBothKept()
    {
        var socket = Path.Combine(_dir, "real.sock");
        using var stale = BindWithoutListening(socket);
        var link = Path.Combine(_dir, "link.sock");
        File.CreateSymbolicLink(link, socket);

        Assert.Throws<ConfigurationException>(() => ApiSocket.Prepare(link));

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.True(File.Exists(socket));
    }

    [Fact]
    public void Prepare_DirectoryAtPath_Refused()
    {
        var path = Path.Combine(_dir, "node.sock");
        Directory.CreateDirectory(path);

        Assert.Throws<ConfigurationException>(() => ApiSocket.Prepare(path));

        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void Prepare_StaleSocketOfKilledAgent_Removed()
    {
        var path = Path.Combine(_dir, "node.sock");
        using var stale = BindWithoutListening(path);

        ApiSocket.Prepare(path);

        Assert.False(File.Exists(path));
    }

    /// <summary>
    /// A socket file nobody answers on, as a killed agent leaves it (a closed .NET socket would
    /// unlink its file, so this one stays open, bound but never listening).
    /// </summary>
    private static Socket BindWithoutListening(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
