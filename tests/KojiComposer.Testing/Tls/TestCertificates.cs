using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KojiComposer.Testing.Tls;

/// <summary>A throwaway site CA and a server certificate it signs, for HTTPS tests on loopback.</summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, string caPemPath)
    {
        Ca = ca;
        Server = server;
        CaPemPath = caPemPath;
    }

    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The CA certificate as a PEM file (what <c>hub.ca_bundle</c> names).</summary>
    public string CaPemPath { get; }

    public static TestCertificates Create(string hostName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=KojiComposer Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hostName}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(8));
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // A PKCS#12 round trip gives a certificate whose key SslStream can use as a server on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var pem = Path.Combine(Path.GetTempPath(), $"kc-test-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(pem, ca.ExportCertificatePem());
        return new TestCertificates(ca, server, pem);
    }

    public void Dispose()
    {
        File.Delete(CaPemPath);
        Ca.Dispose();
        Server.Dispose();
    }
}
