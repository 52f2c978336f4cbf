namespace KojiComposer.HubBridge.Authentication;

/// <summary>
/// What a keytab holds, for set-up checks (<c>kojicomposer doctor</c>): the principals it has keys for and whether
/// the one an identity names is among them, the same test a login makes before it asks the KDC for a ticket
/// (<see cref="KerberosCredentials"/>). Only principal names are read out; key material is never looked at.
/// </summary>
public static class KeytabCheck
{
    /// <summary>The distinct principals <paramref name="keytabPath"/> has keys for, in file order.</summary>
    /// <exception cref="KerberosException">The file is missing, unreadable, or not an MIT keytab.</exception>
    public static IReadOnlyList<string> Principals(string keytabPath) =>
        Keytab.Read(keytabPath).Select(e => e.Principal).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Null when the identity's keytab holds its principal (or holds exactly one principal and the identity names
    /// none, which is what a login would use); otherwise the problem in one line, naming what the keytab holds.
    /// Identities without a keytab (the ambient credential cache) have nothing to check here.
    /// </summary>
    /// <exception cref="KerberosException">The keytab is missing, unreadable, or not an MIT keytab.</exception>
    public static string? Problem(KerberosIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.KeytabPath is not { } path)
        {
            return null;
        }

        var principals = Principals(path);
        var held = principals.Count == 0 ? "nothing" : string.Join(", ", principals);
        if (identity.Principal is not { } principal)
        {
            return principals.Count == 1 ? null : $"keytab {path} holds {principals.Count} principals ({held}): name the one to use";
        }

        return principals.Contains(principal, StringComparer.Ordinal) ? null : $"keytab {path} holds no key for {principal} (it has: {held})";
    }
}
