using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The <c>[hub.content_generator]</c> section: the user that reserves builds (<c>CGInitBuild</c>),
/// uploads their outputs and imports them (<c>CGImport</c>), in ordinary, non-exclusive sessions.</summary>
public sealed record ContentGeneratorOptions : IKerberosIdentity
{
    /// <summary>Default of <c>name</c>: the content generator composer uses (cg-import.md §1).</summary>
    public const string DefaultName = "osbuild";

    /// <inheritdoc/>
    public string? Principal { get; init; }

    /// <inheritdoc/>
    public string? Keytab { get; init; }

    /// <summary><c>name</c>: the content generator the user was granted (<c>koji grant-cg-access</c>); default
    /// <c>osbuild</c>.</summary>
    public string Name { get; init; } = DefaultName;

    internal static ContentGeneratorOptions Bind(ConfigSection section)
    {
        var (principal, keytab) = KerberosIdentityBinding.Read(section);
        return new ContentGeneratorOptions
        {
            Principal = principal,
            Keytab = keytab,
            Name = section.NonEmptyString("name", DefaultName),
        };
    }
}
