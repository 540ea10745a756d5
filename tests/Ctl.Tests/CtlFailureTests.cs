using System.Net.Sockets;
using Grpc.Core;
using RoutedNet.Datastore;
using RoutedNet.Ipam;

namespace RoutedNet.Ctl.Tests;

/// <summary>The one map from a failure to an exit code (README "Exit codes").</summary>
public class CtlFailureTests
{
    public static TheoryData<string, Exception, int> Failures => new()
    {
        { "refused by the store: already there", new ResourceAlreadyExistsException("IPPool \"p1\" already exists"), 1 },
        { "refused by the store: not found", new ResourceNotFoundException("IPPool \"p1\" not found"), 1 },
        { "a resource that does not validate", new ResourceValidationException("IPPool \"p1\": cidr: not a CIDR"), 2 },
        { "datastore down", new DatastoreUnavailableException("etcd: no member reachable"), 3 },
        { "IPAM: pool full", new IpamException(IpamErrorCode.NoAddressAvailable, "no free address"), 1 },
        { "IPAM: bad request", new IpamException(IpamErrorCode.InvalidRequest, "unknown pool"), 2 },
        { "agent socket refused", new RpcException(new Status(StatusCode.Unavailable, "x", new SocketException((int)SocketError.ConnectionRefused))), 3 },
        { "agent silent", new RpcException(new Status(StatusCode.DeadlineExceeded, "x")), 3 },
        { "agent refused the argument", new RpcException(new Status(StatusCode.InvalidArgument, "'x' is not a CIDR prefix")), 2 },
        { "agent failed", new RpcException(new Status(StatusCode.Internal, "boom")), 1 },
        { "input file missing", new FileNotFoundException("no such file"), 2 },
        { "the CLI's own refusal", new CtlException("unknown kind \"x\""), 2 },
        { "a problem the CLI found", new CtlException(CtlExitCode.Problem, "1.2.3.4 is not allocated"), 1 },
        { "anything unexpected", new InvalidOperationException("bug"), 1 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ExitCodeOf_EachFailure(string what, Exception failure, int exit)
    {
        Assert.True(exit == (int)CtlFailure.ExitCodeOf(failure), what);
    }

    [Fact]
    public async Task RunAsync_Failure_OneLineNoStackTrace()
    {
        using var error = new StringWriter();

        var exit = await CtlFailure.RunAsync(() => throw new DatastoreUnavailableException("etcd: no member\nreachable"), error);

        Assert.Equal(3, exit);
        Assert.Equal("error: cannot reach the datastore: etcd: no member reachable\n", error.ToString().ReplaceLineEndings("\n"));
    }
}
