using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>One <c>[[web.negotiate]]</c> entry: a Kerberos principal (SPNEGO, like the Koji hub's own web login)
/// and what it may do.</summary>
public sealed record WebNegotiateOptions
{
    /// <summary><c>principal</c> (required): <c>name[/instance]@REALM</c>.</summary>
    public required string Principal { get; init; }

    /// <summary><c>role</c>: <c>"read-only"</c> (default) or <c>"operator"</c>.</summary>
    public WebRole Role { get; init; } = WebRole.ReadOnly;

    internal static WebNegotiateOptions Bind(ConfigSection section)
    {
        var principal = section.Principal("principal");
        if (!section.Has("principal"))
        {
            section.Missing("principal");
        }

        return new WebNegotiateOptions
        {
            Principal = principal ?? "",
            Role = section.Choice("role", WebRole.ReadOnly, WebUserOptions.Roles),
        };
    }
}
