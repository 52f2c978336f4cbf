namespace KojiComposer.Config.Binding;

/// <summary>The <c>principal</c> and <c>keytab</c> keys both identity sections share.</summary>
internal static class KerberosIdentityBinding
{
    public static (string? Principal, string? Keytab) Read(ConfigSection section)
    {
        var principal = section.Principal("principal");
        var keytab = section.ReadableFile("keytab", "keytab");

        // A keytab may hold several principals; which one to use cannot be told without krb5 tools, so the
        // principal must be named. (A malformed principal has been reported already.)
        if (section.Has("keytab") && !section.Has("principal"))
        {
            section.Error("keytab", $"needs {section.KeyPath("principal")} as well: name the keytab's principal to log in as");
        }

        return (principal, keytab);
    }
}
