using KojiComposer.Config;
using KojiComposer.HubBridge.Authentication;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.HubBridge.Configuration;

/// <summary>
/// The hub connection and the two identities, built from the service config (<c>[hub]</c>, <c>[hub.host]</c>,
/// <c>[hub.content_generator]</c>, <c>[kerberos]</c>): the builder host (exclusive session: task calls and task
/// attachments) and the content-generator user (ordinary sessions: CGInitBuild, CG uploads, CGImport).
/// </summary>
public sealed record HubConfiguration(
    KojiHubOptions Hub, KerberosIdentity Host, bool ForceExclusive, KerberosIdentity ContentGenerator, string ContentGeneratorName)
{
    /// <exception cref="ConfigurationException">The configuration has no <c>[hub]</c> section.</exception>
    public static HubConfiguration From(KojiComposerOptions options)
    {
        var hub = options.RequireHub();
        return new HubConfiguration(
            new KojiHubOptions
            {
                Url = hub.Url,
                RequestTimeout = hub.Timeout,
                UploadChunkBytes = hub.UploadChunkBytes,
                MaxResponseBytes = hub.MaxResponseBytes,
                CaBundle = hub.CaBundle,
                SessionTransport = hub.SessionTransport switch
                {
                    Config.SessionTransport.Header => Transport.SessionTransport.Header,
                    Config.SessionTransport.Query => Transport.SessionTransport.Query,
                    _ => Transport.SessionTransport.Auto,
                },
                Retry = new KojiRetryOptions
                {
                    Attempts = hub.Retry.Attempts,
                    InitialDelay = hub.Retry.InitialDelay,
                    MaxDelay = hub.Retry.MaxDelay,
                    ServerOfflineWait = hub.Retry.ServerOfflineWait,
                },
            },
            new KerberosIdentity(hub.Host.Principal, hub.Host.Keytab),
            hub.Host.ForceExclusive,
            new KerberosIdentity(hub.ContentGenerator.Principal, hub.ContentGenerator.Keytab),
            hub.ContentGenerator.Name);
    }

    /// <summary>
    /// Points the native Kerberos library at the configured krb5.conf and credential cache directory. Call once at
    /// start-up, before any login.
    /// </summary>
    public static void ApplyKerberos(KerberosOptions kerberos)
    {
        if (kerberos.ConfigFile is { } file)
        {
            KerberosCredentials.UseConfigFile(file);
        }

        if (kerberos.CredentialCacheDirectory is { } directory)
        {
            KerberosCredentials.ConfigureCacheDirectory(directory);
        }
    }
}
