namespace KojiComposer.HubBridge.Calls;

/// <summary>getLoggedInUser.</summary>
public sealed record KojiUser(long Id, string Name, int Status, int UserType, string? KrbPrincipal, IReadOnlyList<string> KrbPrincipals)
{
    public bool IsHost => UserType == 1;

    internal static KojiUser From(object? value)
    {
        const string What = "getLoggedInUser";
        var s = Values.Struct(value, What);
        var principals = Values.Member(s, "krb_principals") is object?[] list
            ? list.OfType<string>().ToArray()
            : [];
        return new KojiUser(
            Values.Long(Values.Required(s, "id", What), What + " id"),
            Values.String(Values.Required(s, "name", What), What + " name"),
            Values.Int(Values.Member(s, "status") ?? 0, What + " status"),
            Values.Int(Values.Member(s, "usertype") ?? 0, What + " usertype"),
            Values.StringOrNull(Values.Member(s, "krb_principal"), What + " krb_principal"),
            principals);
    }
}
