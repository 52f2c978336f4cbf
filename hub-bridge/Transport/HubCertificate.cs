using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace KojiComposer.HubBridge.Transport;

/// <summary>Trust for hubs whose HTTPS certificate a site CA signs (koji's <c>serverca</c>).</summary>
internal static class HubCertificate
{
    /// <summary>
    /// Accepts the hub's certificate when it chains to a CA of the bundle (and only those) and names the host we
    /// asked for; everything else the system would refuse is refused too.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustingBundle(string bundlePath)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(bundlePath);
        return (_, certificate, presented, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

            // Intermediates the hub sends along complete the path to the bundle's CA.
            if (presented is not null)
            {
                foreach (var element in presented.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
    }

    public static string Hint(KojiHubOptions options) => options.CaBundle is null
        ? "if a site CA signs it, set hub.ca_bundle to that CA's PEM file"
        : $"is it signed by a CA in {options.CaBundle}, and issued for {options.Url.Host}?";
}
