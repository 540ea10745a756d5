namespace RoutedNet.Ipam;

/// <summary>An IPAM failure the caller can act on; <see cref="Code"/> says which.</summary>
public sealed class IpamException : Exception
{
    public IpamException(IpamErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public IpamException(IpamErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public IpamException()
        : base("IPAM error")
    {
    }

    public IpamException(string message)
        : base(message)
    {
    }

    public IpamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IpamErrorCode Code { get; }
}
