using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// HTTP clients for a generic S3 store with its own CA (<c>ca_bundle</c>: the endpoint's chain must end in one of the
/// bundle's certificates, the system's roots do not count) or none at all (<c>skip_ssl_verification</c>).
/// </summary>
internal sealed class TlsHttpClientFactory : HttpClientFactory
{
    private readonly X509Certificate2Collection? _roots;
    private readonly bool _skip;

    private TlsHttpClientFactory(X509Certificate2Collection? roots, bool skip)
    {
        _roots = roots;
        _skip = skip;
    }

    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): the bundle cannot be read.</exception>
    public static TlsHttpClientFactory Create(string? caBundle, bool skip) =>
        new(caBundle is null ? null : LoadBundle(caBundle), skip);

    /// <summary>Why <paramref name="path"/> is no CA bundle, or null.</summary>
    public static string? BundleProblem(string path)
    {
        try
        {
            _ = LoadBundle(path);
            return null;
        }
        catch (TargetFailedException e)
        {
            return e.Message;
        }
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        };
        return new HttpClient(handler) { Timeout = clientConfig.Timeout ?? TimeSpan.FromMinutes(10) };
    }

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) =>
        $"kojicomposer-tls:{_skip}:{string.Join(",", _roots?.Select(r => r.Thumbprint) ?? [])}";

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw TargetFailedException.Config($"cannot read the CA bundle '{path}': {e.Message}");
        }

        return roots.Count > 0 ? roots : throw TargetFailedException.Config($"the CA bundle '{path}' holds no PEM certificate");
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_skip)
        {
            return true;
        }

        if (certificate is null || _roots is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return errors == SslPolicyErrors.None && _roots is null;
        }

        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_roots);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            own.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return own.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
