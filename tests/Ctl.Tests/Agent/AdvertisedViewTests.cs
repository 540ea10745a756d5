using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

public class AdvertisedViewTests
{
    private static readonly AdvertisedPrefix SharedVip = new()
    {
        Prefix = "198.51.100.10/32",
        Reasons = { "Service lab/web load-balancer IP, externalTrafficPolicy Local: ready endpoint 10.244.1.2 on this node", "Service lab/api load-balancer IP, externalTrafficPolicy Local: ready endpoint 10.244.1.3 on this node" },
    };

    private static readonly AdvertisedPrefix Block = new() { Prefix = "10.244.1.0/24", Blackholed = true, Reasons = { "IPAM block affine to this node (blackholed here)" } };

    [Fact]
    public void Render_Table_OneLinePerReasonPrefixOnTheFirst()
    {
        var lines = AdvertisedView.Render([Block, SharedVip], OutputFormat.Table).TrimEnd('\n').Split('\n');

        Assert.Matches(@"^PREFIX\s+WHY$", lines[0]);
        Assert.Matches(@"^10\.244\.1\.0/24\s+IPAM block", lines[1]);
        Assert.Matches(@"^198\.51\.100\.10/32\s+Service lab/web", lines[2]);
        Assert.Matches(@"^\s+Service lab/api", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Render_Json_EveryPrefixWithItsReasonsAndBlackhole()
    {
        using var json = JsonDocument.Parse(AdvertisedView.Render([Block, SharedVip], OutputFormat.Json));

        var entries = json.RootElement.GetProperty("advertised").EnumerateArray().ToList();
        Assert.Equal(["10.244.1.0/24", "198.51.100.10/32"], entries.Select(e => e.GetProperty("prefix").GetString()));
        Assert.Equal([true, false], entries.Select(e => e.GetProperty("blackholed").GetBoolean()));
        Assert.Equal(2, entries[1].GetProperty("reasons").GetArrayLength());
    }
}
