using System.Net;
using RoutedNet.Felix.Bgp;

namespace RoutedNet.Felix.Tests.Bgp;

public sealed class BgpPeerConfigTests
{
    [Fact]
    public void ToString_WithPassword_PasswordRedacted()
    {
        var config = new BgpPeerConfig(IPAddress.Parse("192.0.2.1"), 64500, PeerType.Global, "bgppeer tor1", Password: "md5-s3cret");

        var text = config.ToString();

        Assert.DoesNotContain("md5-s3cret", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.1", text, StringComparison.Ordinal);
    }
}
