using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RoutedNet.KubeApiServer;

/// <summary>
/// A throwaway CA and a serving certificate for 127.0.0.1, the --address (and the in-cluster names), made at
/// start. The stand-in serves HTTPS because real clients insist: kubectl 1.34 sends no bearer
/// token over plain http (it answered every request 401 here).
/// </summary>
public sealed class ServingCertificates
{
    public required X509Certificate2 Ca { get; init; }
    public required X509Certificate2 Server { get; init; }

    public string CaPem => Ca.ExportCertificatePem();

    public static ServingCertificates Create(System.Net.IPAddress address)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=routednet-test-apiserver-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=routednet-test-apiserver", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        if (!System.Net.IPAddress.IsLoopback(address))
        {
            names.AddIpAddress(address);
        }
        foreach (var dns in new[] { "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local" })
        {
            names.AddDnsName(dns);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(29), serial);
        var server = signed.CopyWithPrivateKey(serverKey);
        return new ServingCertificates { Ca = ca, Server = server };
    }
}
