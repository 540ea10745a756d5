using RoutedNet.Ctl.Output;
using System.Text.Json;
using RoutedNet.Ctl.Agent;
using RoutedNet.Felix.Api.V1;

namespace RoutedNet.Ctl.Tests.Agent;

public class RoutesViewTests
{
    private static RouteStatus Route(string prefix, RouteKind kind, RouteState state, RouteTarget? desired, RouteTarget? programmed, string detail = "") =>
        new() { Prefix = prefix, Kind = kind, State = state, Desired = desired, Programmed = programmed, Detail = detail };

    private static RouteTarget Via(uint protocol, params string[] nextHops)
    {
        var target = new RouteTarget { Protocol = protocol };
        target.NextHops.Add(nextHops);
        return target;
    }

    private static ListRoutesResponse Response(params RouteStatus[] routes)
    {
        var response = new ListRoutesResponse { Protocol = 80 };
        response.Routes.Add(routes);
        return response;
    }

    [Fact]
    public void IsClean_EveryStateOk_True()
    {
        var ok = Response(
            Route("10.244.2.0/24", RouteKind.Bgp, RouteState.Ok, Via(80, "172.18.0.3"), Via(80, "172.18.0.3")),
            Route("10.244.1.0/24", RouteKind.Blackhole, RouteState.Ok, new RouteTarget { Blackhole = true, Protocol = 80 }, new RouteTarget { Blackhole = true, Protocol = 80 }));

        Assert.True(RoutesView.IsClean(ok));
        Assert.Contains("OK: all 2 routes as they should be", RoutesView.Render(ok, OutputFormat.Table), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(RouteState.Missing))]
    [InlineData(nameof(RouteState.Unexpected))]
    [InlineData(nameof(RouteState.WrongNextHop))]
    [InlineData(nameof(RouteState.MissingBlackhole))]
    [InlineData(nameof(RouteState.Conflict))]
    public void IsClean_OneRouteOff_False(string state)
    {
        var response = Response(
            Route("10.244.2.0/24", RouteKind.Bgp, RouteState.Ok, Via(80, "172.18.0.3"), Via(80, "172.18.0.3")),
            Route("10.244.3.0/24", RouteKind.Bgp, Enum.Parse<RouteState>(state), Via(80, "172.18.0.4"), null));

        Assert.False(RoutesView.IsClean(response));
        Assert.Contains("FAILED: 1 of 2 routes are off", RoutesView.Render(response, OutputFormat.Table), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Table_OffRoutesFirstAndForeignProtocolShown()
    {
        var table = RoutesView.Render(Response(
            Route("10.244.1.0/24", RouteKind.Blackhole, RouteState.Ok, new RouteTarget { Blackhole = true, Protocol = 80 }, new RouteTarget { Blackhole = true, Protocol = 80 }),
            Route("10.244.9.0/24", RouteKind.Bgp, RouteState.Conflict, Via(80, "172.18.0.4"), Via(4, "10.0.0.1"), "route of protocol 4")), OutputFormat.Table);

        var lines = table.Split('\n');
        Assert.StartsWith("PREFIX", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^10\.244\.9\.0/24\s+bgp\s+conflict\s+via 172\.18\.0\.4\s+via 10\.0\.0\.1 proto 4\s+route of protocol 4$", lines[1]);
        Assert.Matches(@"^10\.244\.1\.0/24\s+blackhole\s+ok\s+blackhole\s+blackhole\s*$", lines[2]);
    }

    [Fact]
    public void Render_JsonMissingRoute_ProgrammedIsNull()
    {
        var json = RoutesView.Render(Response(Route("10.244.1.5/32", RouteKind.Workload, RouteState.Missing, new RouteTarget { Interface = "rnveth1", Protocol = 80 }, null)), OutputFormat.Json);

        using var document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.GetProperty("clean").GetBoolean());
        var route = Assert.Single(document.RootElement.GetProperty("routes").EnumerateArray());
        Assert.Equal("missing", route.GetProperty("state").GetString());
        Assert.Equal("workload", route.GetProperty("kind").GetString());
        Assert.Equal("rnveth1", route.GetProperty("desired").GetProperty("interface").GetString());
        Assert.Equal(JsonValueKind.Null, route.GetProperty("programmed").ValueKind);
    }
}
