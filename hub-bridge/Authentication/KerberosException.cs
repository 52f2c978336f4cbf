namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// Kerberos could not produce or verify a login token: a missing or unreadable keytab, a principal the keytab does
/// not hold, a service principal the KDC does not know, a hub whose mutual-authentication reply is missing or bad.
/// None of these get better by retrying at once.
/// </summary>
public sealed class KerberosException : KojiException
{
    public KerberosException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public override bool IsTransient => false;
}
