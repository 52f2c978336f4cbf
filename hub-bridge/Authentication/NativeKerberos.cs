using System.Runtime.InteropServices;

namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// The three MIT krb5 / libc entry points .NET does not expose. The in-box NegotiateAuthentication always uses
/// GSSAPI's default initiator credential, so we choose which principal that is per thread with
/// <c>gss_krb5_ccache_name</c> (thread-specific in MIT), and tell MIT where the keys are through the environment it
/// reads natively (.NET's Environment.SetEnvironmentVariable does not change the native environment on Unix).
/// </summary>
internal static partial class NativeKerberos
{
    private const string Gssapi = "libgssapi_krb5.so.2";

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Gssapi, EntryPoint = "gss_krb5_ccache_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint GssKrb5CcacheName(out uint minorStatus, string? name, IntPtr outName);

    [LibraryImport(Gssapi, EntryPoint = "krb5_gss_register_acceptor_identity", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint RegisterAcceptorIdentity(string keytab);

    /// <summary>Sets a variable in the native environment (and the managed view of it).</summary>
    public static void SetEnvironment(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0)
        {
            throw new KerberosException($"cannot set {name} in the process environment (errno {Marshal.GetLastPInvokeError()})");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Makes GSSAPI calls on this thread use the given credential cache; null restores the default.</summary>
    public static void UseCredentialCacheOnThisThread(string? cacheName)
    {
        var major = GssKrb5CcacheName(out var minor, cacheName, IntPtr.Zero);
        if (major != 0)
        {
            throw new KerberosException($"gss_krb5_ccache_name({cacheName ?? "default"}) failed: major {major}, minor {minor}");
        }
    }

    /// <summary>Sets the keytab GSSAPI acceptors use in this process (the hub simulator's service keytab).</summary>
    public static void UseAcceptorKeytab(string keytab)
    {
        var major = RegisterAcceptorIdentity(keytab);
        if (major != 0)
        {
            throw new KerberosException($"krb5_gss_register_acceptor_identity({keytab}) failed: major {major}");
        }
    }
}
