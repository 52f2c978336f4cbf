using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>The whole service configuration (<c>kojicomposer.toml</c>), validated, with defaults applied.</summary>
public sealed record KojiComposerOptions
{
    /// <summary>The <c>[hub]</c> section: the Koji hub and the identities that log in to it.</summary>
    public required HubOptions Hub { get; init; }

    /// <summary>The <c>[kerberos]</c> section: process-wide Kerberos settings.</summary>
    public KerberosOptions Kerberos { get; init; } = new();

    internal static KojiComposerOptions Bind(ConfigSection root) => new()
    {
        // One line per top-level section. A new section is its options record (with a Bind like these) plus a
        // line here; the keys it reads become known, everything else in the file is reported as unknown.
        Hub = HubOptions.Bind(root.Section("hub")),
        Kerberos = KerberosOptions.Bind(root.Section("kerberos")),
    };
}
