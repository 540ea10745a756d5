using RoutedNet.CniPlugin.Cni;

namespace RoutedNet.CniPlugin.Tests;

public class CniVersionsTests
{
    [Theory]
    [InlineData("0.3.0", "0.3.1", -1)]
    [InlineData("0.10.0", "0.4.0", 1)]
    [InlineData("1.0.0", "1.0.0", 0)]
    [InlineData("1.1.0", "1.0.0", 1)]
    public void Compare_DottedVersions_OrdersNumerically(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(CniVersions.Compare(a, b)));

    [Theory]
    [InlineData("0.3.1", false, false, true)]
    [InlineData("0.4.0", true, false, true)]
    [InlineData("1.0.0", true, false, false)]
    [InlineData("1.1.0", true, true, false)]
    public void Features_PerVersion_MatchTheSpec(string version, bool check, bool statusGc, bool ipVersionField)
    {
        Assert.Equal(check, CniVersions.AllowsCheck(version));
        Assert.Equal(statusGc, CniVersions.HasVersion11Features(version));
        Assert.Equal(ipVersionField, CniVersions.HasIpVersionField(version));
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("1.2.0")]
    [InlineData("banana")]
    public void IsSupported_OtherVersions_False(string version) => Assert.False(CniVersions.IsSupported(version));
}
