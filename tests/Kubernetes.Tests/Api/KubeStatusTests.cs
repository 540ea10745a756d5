using System.Net;
using System.Text;
using RoutedNet.Datastore;
using RoutedNet.Kubernetes.Api;

namespace RoutedNet.Kubernetes.Tests.Api;

public sealed class KubeStatusTests
{
    private static readonly Uri Server = new("https://10.96.0.1:443/");

    [Theory]
    [InlineData(409, "Conflict", typeof(RevisionConflictException))]
    [InlineData(409, "AlreadyExists", typeof(ResourceAlreadyExistsException))]
    [InlineData(404, "NotFound", typeof(ResourceNotFoundException))]
    [InlineData(410, "Expired", typeof(RevisionCompactedException))]
    [InlineData(410, "Gone", typeof(RevisionCompactedException))]
    [InlineData(422, "Invalid", typeof(ResourceValidationException))]
    [InlineData(403, "Forbidden", typeof(DatastoreUnusableException))]
    [InlineData(503, "ServiceUnavailable", typeof(DatastoreUnavailableException))]
    public void ToException_ByCodeAndReason_IsTheDatastoreError(int code, string reason, Type expected)
    {
        var body = $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the message","reason":"{{reason}}","details":{"name":"p","kind":"ippools"},"code":{{code}}}""";

        var error = KubeStatus.Parse((HttpStatusCode)code, Encoding.UTF8.GetBytes(body)).ToException("IPPool \"p\"", Server);

        Assert.IsType(expected, error);
        Assert.Contains("IPPool \"p\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromObject_InStreamTooOldResourceVersion_IsCompacted()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (9)","reason":"Expired","code":410}""");

        var error = KubeStatus.FromObject(document.RootElement).ToException("watch of ippools", Server);

        Assert.IsType<RevisionCompactedException>(error);
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}""")]
    [InlineData("404 page not found")]
    public void ToException_PathNotServed_SaysToInstallTheCrds(string body)
    {
        var error = KubeStatus.Parse(HttpStatusCode.NotFound, Encoding.UTF8.GetBytes(body)).ToException("ippools", Server);

        Assert.IsType<DatastoreUnusableException>(error);
        Assert.Contains("charts/routednet/crds/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BodyNotJson_KeepsTheCodeAndText()
    {
        var status = KubeStatus.Parse(HttpStatusCode.BadGateway, "upstream down\n"u8);

        Assert.Equal(502, status.Code);
        Assert.Equal("upstream down", status.Message);
        Assert.IsType<DatastoreUnavailableException>(status.ToException("IPPool \"p\"", Server));
    }
}
