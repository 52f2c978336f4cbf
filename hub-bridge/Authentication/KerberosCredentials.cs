using System.Security.Cryptography;
using System.Text;

namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// The process's Kerberos client credentials. Every keytab identity gets a credential cache of its own under
/// <see cref="CacheDirectory"/>, and the keys of all of them are merged into one private client keytab that MIT
/// reads through <c>KRB5_CLIENT_KTNAME</c>. Ambient identities use whatever <c>KRB5CCNAME</c> names.
/// Process-wide on purpose: the native Kerberos library has one environment per process.
/// </summary>
public sealed class KerberosCredentials
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Keytab.Entry[]> _keytabs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _caches = new(StringComparer.Ordinal);
    private bool _clientKeytabExported;

    private readonly string? _ambientCache;

    private KerberosCredentials(string cacheDirectory, string? ambientCache = null)
    {
        CacheDirectory = cacheDirectory;
        _ambientCache = ambientCache;
    }

    /// <summary>
    /// Credentials whose keytab-less identities use the named credential cache instead of the process's default
    /// (<c>KRB5CCNAME</c>): for a process that serves logins out of a cache someone else keeps fresh, and for tests.
    /// </summary>
    public static KerberosCredentials ForAmbientCache(string cacheName) => new(DefaultCacheDirectory() + "-" + Guid.NewGuid().ToString("N")[..8], cacheName);

    /// <summary>The process's instance; its cache directory comes from <see cref="ConfigureCacheDirectory"/>.</summary>
    public static KerberosCredentials Shared
    {
        get
        {
            // One instance per process, even when the first logins race: two would overwrite each other's keytab.
            lock (SharedLock)
            {
                return _shared ??= new KerberosCredentials(DefaultCacheDirectory());
            }
        }
    }

    private static readonly Lock SharedLock = new();

    private static KerberosCredentials? _shared;

    /// <summary>Where the credential caches and the merged client keytab live (mode 0700).</summary>
    public string CacheDirectory { get; }

    /// <summary>
    /// Chooses the cache directory before any identity is used (from config <c>kerberos.credential_cache_dir</c>).
    /// </summary>
    public static void ConfigureCacheDirectory(string directory)
    {
        lock (SharedLock)
        {
            if (_shared is not null && !string.Equals(_shared.CacheDirectory, directory, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the Kerberos credential cache directory is already in use: configure it before the first login");
            }

            _shared ??= new KerberosCredentials(directory);
        }
    }

    /// <summary>Points the native Kerberos library at a krb5.conf (config <c>kerberos.config</c>).</summary>
    public static void UseConfigFile(string path) => NativeKerberos.SetEnvironment("KRB5_CONFIG", path);

    /// <summary>Makes <paramref name="keytab"/> the keytab this process's GSSAPI acceptors use (the service's own
    /// <c>HTTP/&lt;host&gt;</c> keys, for Negotiate logins to the web front), as <c>KRB5_KTNAME</c> would.</summary>
    /// <exception cref="KerberosException">The library refused it.</exception>
    public static void UseAcceptorKeytab(string keytab) => NativeKerberos.UseAcceptorKeytab(keytab);

    private static string DefaultCacheDirectory()
    {
        var runtime = Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY"); // systemd RuntimeDirectory=
        var root = string.IsNullOrEmpty(runtime) ? Path.GetTempPath() : runtime;
        // Unpredictable, so nobody can prepare it for us in a shared /tmp.
        return Path.Combine(root, $"kojicomposer-krb5-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
    }

    /// <summary>
    /// Makes an identity usable for logins and returns the credential cache name GSSAPI must use for it (null for
    /// the ambient cache). Checks that the keytab exists and holds the principal, naming what is wrong otherwise.
    /// </summary>
    /// <exception cref="KerberosException">The keytab is missing, unreadable, or has no key for the principal.</exception>
    internal string? Prepare(KerberosIdentity identity)
    {
        if (identity.KeytabPath is null)
        {
            return _ambientCache;
        }

        var entries = Keytab.Read(identity.KeytabPath);
        var principals = entries.Select(e => e.Principal).Distinct(StringComparer.Ordinal).ToArray();
        var principal = identity.Principal ?? (principals.Length == 1
            ? principals[0]
            : throw new KerberosException($"keytab {identity.KeytabPath} holds {principals.Length} principals ({string.Join(", ", principals)}): configure which one to use"));
        if (!principals.Contains(principal, StringComparer.Ordinal))
        {
            throw new KerberosException($"keytab {identity.KeytabPath} holds no key for {principal} (it has: {(principals.Length == 0 ? "nothing" : string.Join(", ", principals))})");
        }

        lock (_lock)
        {
            EnsurePrivateDirectory();
            var ownEntries = entries.Where(e => string.Equals(e.Principal, principal, StringComparison.Ordinal)).ToArray();
            if (!_keytabs.TryGetValue(principal, out var known) || !SameKeys(known, ownEntries))
            {
                _keytabs[principal] = ownEntries;
                Keytab.Write(ClientKeytabPath, _keytabs.Values.SelectMany(e => e));
            }

            if (!_clientKeytabExported)
            {
                NativeKerberos.SetEnvironment("KRB5_CLIENT_KTNAME", "FILE:" + ClientKeytabPath);
                _clientKeytabExported = true;
            }

            if (!_caches.TryGetValue(principal, out var cache))
            {
                var file = Path.Combine(CacheDirectory, CacheFileName(principal));
                CredentialCacheFile.WritePrincipalOnly(file, principal);
                cache = "FILE:" + file;
                _caches[principal] = cache;
            }

            return cache;
        }
    }

    private string ClientKeytabPath => Path.Combine(CacheDirectory, "client.keytab");

    /// <summary>The cache directory exists, is a real directory (not a link someone planted) and only we may enter it.</summary>
    private void EnsurePrivateDirectory()
    {
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var directory = Directory.CreateDirectory(CacheDirectory, Private);
        if (directory.LinkTarget is not null)
        {
            throw new KerberosException($"Kerberos credential cache directory {CacheDirectory} is a symbolic link; refusing to keep keys there");
        }

        if (File.GetUnixFileMode(CacheDirectory) != Private)
        {
            File.SetUnixFileMode(CacheDirectory, Private);
        }
    }

    private static bool SameKeys(Keytab.Entry[] a, Keytab.Entry[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First.Record.Span.SequenceEqual(p.Second.Record.Span));

    private static string CacheFileName(string principal)
    {
        // Readable and unique: the principal with unsafe characters replaced, plus a short hash of the exact name.
        var safe = new StringBuilder(principal.Length);
        foreach (var c in principal)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(principal)))[..8];
        return $"{safe}-{hash}.ccache";
    }

    /// <summary>Removes the caches and the merged keytab (on shutdown).</summary>
    public void Cleanup()
    {
        lock (_lock)
        {
            try
            {
                if (Directory.Exists(CacheDirectory))
                {
                    Directory.Delete(CacheDirectory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Best effort: a later start writes fresh files anyway.
            }

            _caches.Clear();
            _keytabs.Clear();
        }
    }
}
