namespace KojiComposer.Config;

/// <summary>A Kerberos identity that logs in to the hub: what the login code needs from either identity.</summary>
public interface IKerberosIdentity
{
    /// <summary><c>principal</c>: <c>name[/instance]@REALM</c>, or null to use whatever principal the ambient
    /// credential cache (<c>KRB5CCNAME</c>) holds.</summary>
    string? Principal { get; }

    /// <summary><c>keytab</c>: absolute path of a readable keytab for <see cref="Principal"/> (which is then always
    /// set), or null to use the ambient credential cache.</summary>
    string? Keytab { get; }
}
