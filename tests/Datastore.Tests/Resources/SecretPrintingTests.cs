using RoutedNet.Datastore.Resources;

namespace RoutedNet.Datastore.Tests.Resources;

/// <summary>A BGPPeer printed anywhere (a log line, an error, an assertion) shows that it has a password, not the password.</summary>
public sealed class SecretPrintingTests
{
    [Fact]
    public void ToString_BgpPeerWithPassword_PasswordRedacted()
    {
        var peer = new BGPPeer { Metadata = new ObjectMeta { Name = "tor1" }, Spec = new BGPPeerSpec { PeerIP = "192.0.2.1", AsNumber = 64500, Password = "md5-s3cret" } };

        var text = peer.ToString();

        Assert.DoesNotContain("md5-s3cret", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.1", text, StringComparison.Ordinal);
        Assert.Contains("(redacted)", text, StringComparison.Ordinal);
    }
}
