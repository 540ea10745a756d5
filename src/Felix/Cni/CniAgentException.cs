namespace RoutedNet.Felix.Cni;

/// <summary>
/// A Cni* call that failed: <see cref="GrpcCode"/> is the gRPC status (what gRPC clients see),
/// <see cref="CniCode"/> the CNI error code the plugin reports (DESIGN.md "Contracts").
/// </summary>
public sealed class CniAgentException : Exception
{
    public CniAgentException(int grpcCode, int cniCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        GrpcCode = grpcCode;
        CniCode = cniCode;
    }

    public CniAgentException()
        : this(13, 5, "internal error")
    {
    }

    public CniAgentException(string message)
        : this(13, 5, message)
    {
    }

    public CniAgentException(string message, Exception innerException)
        : this(13, 5, message, innerException)
    {
    }

    public int GrpcCode { get; }

    public int CniCode { get; }
}
