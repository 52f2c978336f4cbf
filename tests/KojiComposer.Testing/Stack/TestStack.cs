namespace KojiComposer.Testing;

/// <summary>
/// The servers <c>tools/test-stack.sh start</c> runs for the tests: a throwaway PostgreSQL 15, an MIT KDC for the
/// realm <c>KOJI.TEST</c>, s3rver, azurite-blob and docker-registry, found through the variables in <c>.test-stack/env</c>. A missing stack is a failure,
/// never a skip: CI must not pass with the servers absent.
/// </summary>
public static class TestStack
{
    /// <summary>The throwaway realm; the principal constants below are in it.</summary>
    public const string RealmName = "KOJI.TEST";

    /// <summary>The hub's service principal (acceptor keytab <c>hub.keytab</c>, also <c>KRB5_KTNAME</c>).</summary>
    public const string HubServicePrincipal = "HTTP/localhost@KOJI.TEST";

    /// <summary>A builder host, as Koji names it: <c>compile/&lt;fqdn&gt;</c> (<c>builder1.keytab</c>).</summary>
    public const string HostPrincipal = "compile/builder1.koji.test@KOJI.TEST";

    /// <summary>A second builder host (<c>builder2.keytab</c>).</summary>
    public const string SecondHostPrincipal = "compile/builder2.koji.test@KOJI.TEST";

    /// <summary>A user the hub knows (<c>releng.keytab</c>).</summary>
    public const string UserPrincipal = "releng@KOJI.TEST";

    /// <summary>The content-generator user that imports builds (<c>osbuild-cg.keytab</c>).</summary>
    public const string ContentGeneratorPrincipal = "osbuild-cg@KOJI.TEST";

    /// <summary>A valid principal of the realm that the hub does not know (<c>stranger.keytab</c>).</summary>
    public const string StrangerPrincipal = "stranger@KOJI.TEST";

    internal const string NotRunningMessage =
        "the test stack is not running: run tools/test.sh (or: tools/test-stack.sh start && . .test-stack/env)";

    /// <summary>Every principal of the realm with the name of its keytab (for <see cref="Keytab"/>).</summary>
    public static IReadOnlyList<StackPrincipal> Principals { get; } =
    [
        new(HubServicePrincipal, "hub"),
        new(HostPrincipal, "builder1"),
        new(SecondHostPrincipal, "builder2"),
        new(UserPrincipal, "releng"),
        new(ContentGeneratorPrincipal, "osbuild-cg"),
        new(StrangerPrincipal, "stranger"),
    ];

    /// <summary>The running stack's realm (<c>KOJICOMPOSER_TEST_REALM</c>), checked to be <see cref="RealmName"/>.</summary>
    public static string Realm
    {
        get
        {
            var realm = Require("KOJICOMPOSER_TEST_REALM");
            return realm == RealmName
                ? realm
                : throw new InvalidOperationException(
                    $"the test stack runs realm {realm}, but the tests are written for {RealmName}: restart it with tools/test-stack.sh start");
        }
    }

    /// <summary>The stack's state directory (<c>KOJICOMPOSER_TEST_STACK</c>).</summary>
    public static string StateDirectory => ExistingDirectory("KOJICOMPOSER_TEST_STACK");

    /// <summary>The directory holding one keytab per principal (<c>KOJICOMPOSER_TEST_KEYTABS</c>).</summary>
    public static string KeytabDirectory => ExistingDirectory("KOJICOMPOSER_TEST_KEYTABS");

    /// <summary>The realm's krb5.conf (<c>KRB5_CONFIG</c>); hand it to child processes that use Kerberos.</summary>
    public static string Krb5Config => ExistingFile("KRB5_CONFIG");

    /// <summary>
    /// Npgsql connection string of the stack's server as superuser <c>postgres</c>, database <c>postgres</c>
    /// (<c>KOJICOMPOSER_TEST_PG</c>). Tests use their own database: see <see cref="PostgresDatabaseFixture"/>.
    /// </summary>
    public static string PostgresConnectionString => Require("KOJICOMPOSER_TEST_PG");

    /// <summary>s3rver's endpoint, <c>http://127.0.0.1:PORT</c> (<c>KOJICOMPOSER_TEST_S3</c>); access key and secret
    /// are <see cref="S3AccessKey"/>. Tests make their own bucket.</summary>
    public static Uri S3Endpoint => new(Require("KOJICOMPOSER_TEST_S3"));

    /// <summary>s3rver's access key id and secret (both <c>S3RVER</c>).</summary>
    public const string S3AccessKey = "S3RVER";

    /// <summary>azurite-blob's service root, <c>http://127.0.0.1:PORT</c> (<c>KOJICOMPOSER_TEST_AZURITE</c>); its
    /// account is <see cref="AzuriteAccount"/> at <c>&lt;root&gt;/devstoreaccount1</c>.</summary>
    public static Uri AzuriteEndpoint => new(Require("KOJICOMPOSER_TEST_AZURITE"));

    /// <summary>azurite's well-known development account.</summary>
    public const string AzuriteAccount = "devstoreaccount1";

    /// <summary>azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string AzuriteAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>docker-registry's address, <c>127.0.0.1:PORT</c>, plain http, no auth (<c>KOJICOMPOSER_TEST_REGISTRY</c>).</summary>
    public static string Registry => Require("KOJICOMPOSER_TEST_REGISTRY");

    /// <summary>
    /// Path of a keytab by name: <c>hub</c>, <c>builder1</c>, <c>builder2</c>, <c>releng</c>, <c>osbuild-cg</c> or
    /// <c>stranger</c> (a <c>.keytab</c> suffix is accepted).
    /// </summary>
    /// <exception cref="FileNotFoundException">The stack has no keytab of that name.</exception>
    public static string Keytab(string name)
    {
        var fileName = name.EndsWith(".keytab", StringComparison.Ordinal) ? name : name + ".keytab";
        if (fileName.Contains('/', StringComparison.Ordinal) || fileName.StartsWith('.'))
        {
            throw new ArgumentException($"'{name}' is not a keytab name (e.g. builder1)", nameof(name));
        }

        var path = Path.Combine(KeytabDirectory, fileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"the test stack has no keytab '{fileName}' in {KeytabDirectory} (known: {string.Join(", ", Principals.Select(p => p.KeytabName))})",
                path);
    }

    private static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value)
            ? throw new InvalidOperationException($"{NotRunningMessage} ({variable} is not set)")
            : value;
    }

    private static string ExistingDirectory(string variable)
    {
        var path = Require(variable);
        return Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"{NotRunningMessage} ({variable}: {path} does not exist)");
    }

    private static string ExistingFile(string variable)
    {
        var path = Require(variable);
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{NotRunningMessage} ({variable}: {path} does not exist)");
    }
}
