namespace KojiComposer.HubBridge.Faults;

/// <summary>
/// 1002 <c>AuthError</c> (koji <c>koji/__init__.py</c>): authentication or session trouble ("Invalid session or bad credentials", "This method
/// requires an exclusive session"). Koji derives the other session faults below from it.
/// </summary>
public class KojiAuthErrorFault : KojiGenericErrorFault
{
    /// <summary>An <c>AuthError</c> with the hub's message.</summary>
    public KojiAuthErrorFault(string faultString)
        : base(KojiFaults.AuthError, "AuthError", faultString)
    {
    }

    /// <summary>Used by the koji classes that derive from <c>AuthError</c>.</summary>
    protected KojiAuthErrorFault(int faultCode, string faultName, string faultString)
        : base(faultCode, faultName, faultString)
    {
    }
}

/// <summary>1006 <c>AuthLockError</c> (koji <c>koji/__init__.py</c>): another session holds the user's exclusive lock.</summary>
public sealed class KojiAuthLockErrorFault(string faultString)
    : KojiAuthErrorFault(KojiFaults.AuthLockError, "AuthLockError", faultString);

/// <summary>1007 <c>AuthExpired</c> (koji <c>koji/__init__.py</c>): the session has expired; log in again.</summary>
public sealed class KojiAuthExpiredFault(string faultString)
    : KojiAuthErrorFault(KojiFaults.AuthExpired, "AuthExpired", faultString);

/// <summary>1008 <c>SequenceError</c> (koji <c>koji/__init__.py</c>): a call number lower than one the hub already committed ("20 &gt; 19").</summary>
public sealed class KojiSequenceErrorFault(string faultString)
    : KojiAuthErrorFault(KojiFaults.SequenceError, "SequenceError", faultString);

/// <summary>1009 <c>RetryError</c> (koji <c>koji/__init__.py</c>): a repeated call number for a method the hub will not replay.</summary>
public sealed class KojiRetryErrorFault(string faultString)
    : KojiAuthErrorFault(KojiFaults.RetryError, "RetryError", faultString);

/// <summary>1023 <c>GSSAPIAuthError</c> (koji <c>koji/__init__.py</c>): GSSAPI (Kerberos) login failed; raised by koji's client side.</summary>
public sealed class KojiGSSAPIAuthErrorFault(string faultString)
    : KojiAuthErrorFault(KojiFaults.GSSAPIAuthError, "GSSAPIAuthError", faultString);
