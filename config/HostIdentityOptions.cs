using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[hub.host]</c> section: the builder-host identity, which holds the exclusive session and makes
/// the <c>host.*</c> task calls and task uploads.</summary>
public sealed record HostIdentityOptions : IKerberosIdentity
{
    /// <inheritdoc/>
    public string? Principal { get; init; }

    /// <inheritdoc/>
    public string? Keytab { get; init; }

    /// <summary><c>force_exclusive</c>: take the exclusive session even if another session of the host user holds
    /// it (<c>exclusiveSession(force=true)</c>; needed after a crash left the lock behind); default false.</summary>
    public bool ForceExclusive { get; init; }

    internal static HostIdentityOptions Bind(ConfigSection section)
    {
        var (principal, keytab) = KerberosIdentityBinding.Read(section);
        return new HostIdentityOptions
        {
            Principal = principal,
            Keytab = keytab,
            ForceExclusive = section.Boolean("force_exclusive", false),
        };
    }
}
