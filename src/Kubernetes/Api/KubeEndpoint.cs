namespace RoutedNet.Kubernetes.Api;

/// <summary>
/// One API server and how to authenticate to it, from a kubeconfig or the pod's service account.
/// PEM texts, not paths: files are read once when the connection opens, except the token file,
/// which the kubelet rotates and <see cref="KubeCredentials"/> re-reads.
/// </summary>
internal sealed record KubeEndpoint
{
    public required string Server { get; init; }

    public string? CaPem { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public string? TlsServerName { get; init; }

    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }

    public string? Token { get; init; }

    public string? TokenFile { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }
}
