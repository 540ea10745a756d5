using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Ctl.Output;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

public class EndpointsViewTests
{
    private static AgentWorkloadEndpoint Web()
    {
        var endpoint = new AgentWorkloadEndpoint
        {
            Name = "k8s.c0.eth0", Namespace = "shop", Pod = "web-0", ContainerId = "c0", Interface = "eth0", HostInterface = "rn0123456789abc", Network = "k8s",
        };
        endpoint.IpNetworks.Add("10.244.1.5/32");
        endpoint.Labels.Add(new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" });
        endpoint.NamespaceLabels.Add(new Dictionary<string, string> { ["team"] = "web" });
        return endpoint;
    }

    [Fact]
    public void Render_Table_PodAddressesAndLabelsWideAddsNamespaceLabels()
    {
        var table = EndpointsView.Render([Web()], OutputFormat.Table).Split('\n');
        var wide = EndpointsView.Render([Web()], OutputFormat.Wide).Split('\n');

        Assert.Matches(@"^shop\s+web-0\s+10\.244\.1\.5/32\s+rn0123456789abc\s+app=web,tier=front$", table[1]);
        Assert.DoesNotContain("team=web", table[1], StringComparison.Ordinal);
        Assert.Matches(@"app=web,tier=front\s+team=web\s+c0\s+k8s\.c0\.eth0$", wide[1]);
    }

    [Fact]
    public void Render_Json_EveryFieldWithLabelMaps()
    {
        var json = JsonDocument.Parse(EndpointsView.Render([Web()], OutputFormat.Json)).RootElement.GetProperty("endpoints")[0];

        Assert.Equal("web-0", json.GetProperty("pod").GetString());
        Assert.Equal("10.244.1.5/32", json.GetProperty("ipNetworks")[0].GetString());
        Assert.Equal("front", json.GetProperty("labels").GetProperty("tier").GetString());
        Assert.Equal("web", json.GetProperty("namespaceLabels").GetProperty("team").GetString());
    }
}
