namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// Who we log in to the hub as. With a <see cref="KeytabPath"/> the principal's keys come from that keytab and
/// tickets are kept in a credential cache of our own; without one the ambient credential cache
/// (<c>KRB5CCNAME</c>, e.g. after <c>kinit</c>) is used as it is.
/// </summary>
public sealed record KerberosIdentity(string? Principal, string? KeytabPath)
{
    /// <summary>The ambient credential cache, whoever it holds.</summary>
    public static KerberosIdentity Ambient { get; } = new(null, null);

    /// <summary>A principal whose keys are in a keytab.</summary>
    public static KerberosIdentity FromKeytab(string principal, string keytabPath) => new(principal, keytabPath);

    /// <summary>How the identity is named in messages: never anything secret, only names and paths.</summary>
    public override string ToString() => (Principal, KeytabPath) switch
    {
        (null, null) => "the ambient Kerberos credential cache",
        (not null, null) => $"{Principal} (ambient credential cache)",
        (null, not null) => $"keytab {KeytabPath}",
        _ => $"{Principal} (keytab {KeytabPath})",
    };
}
