using System.Net;
using RoutedNet.BgpSpeaker.Config;

namespace RoutedNet.BgpSpeaker.Tests.Config;

public sealed class BgpPeerOptionsTests
{
    [Fact]
    public void ToString_WithPassword_PasswordRedacted()
    {
        var options = new BgpPeerOptions { Address = IPAddress.Parse("192.0.2.1"), RemoteAs = 64500, Password = "md5-s3cret" };

        var text = options.ToString();

        Assert.DoesNotContain("md5-s3cret", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.1", text, StringComparison.Ordinal);
    }
}
