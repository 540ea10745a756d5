using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RoutedNet.Datastore.Etcd;

/// <summary>
/// The TLS side of <see cref="EtcdSecurity"/>: the members' certificates are checked against the
/// given CA alone (not the system store, as etcdctl --cacert does) and must name the address
/// dialled; the client certificate goes along when a member asks for one. Files are read once,
/// when the store opens: a missing or unreadable file is a configuration error naming it.
/// </summary>
internal static class EtcdTls
{
    public static SslClientAuthenticationOptions Options(EtcdSecurity security)
    {
        var options = new SslClientAuthenticationOptions();
        if (security.CaCertFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            Read(caFile, "--etcd-ca-cert-file", () => roots.ImportFromPemFile(caFile));
            if (roots.Count == 0)
            {
                throw new ArgumentException($"--etcd-ca-cert-file {caFile}: no PEM certificate in it");
            }
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // etcd's CAs rarely publish revocation lists; etcdctl does not check them either.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }
        if (security.CertFile is { } certFile)
        {
            X509Certificate2 certificate = null!;
            Read(certFile, "--etcd-cert-file/--etcd-key-file", () => certificate = X509Certificate2.CreateFromPemFile(certFile, security.KeyFile));
            options.ClientCertificates = [certificate];
        }
        return options;
    }

    private static void Read(string file, string setting, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"{setting} {file}: {e.Message}", e);
        }
    }
}
