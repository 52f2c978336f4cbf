using System.Text;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>One <c>[[web.users]]</c> entry: a user who logs in with a password (HTTP Basic over TLS, or through a
/// proxy that terminates it).</summary>
public sealed record WebUserOptions
{
    internal static readonly IReadOnlyList<(string, WebRole)> Roles = [("read-only", WebRole.ReadOnly), ("operator", WebRole.Operator)];

    /// <summary><c>name</c> (required): the user name.</summary>
    public required string Name { get; init; }

    /// <summary><c>password_hash</c> (required): the password's hash, never the password. A secret all the same:
    /// <see cref="ToString"/> leaves it out.</summary>
    public required string PasswordHash { get; init; }

    /// <summary><c>role</c>: <c>"read-only"</c> (default) or <c>"operator"</c>.</summary>
    public WebRole Role { get; init; } = WebRole.ReadOnly;

    internal static WebUserOptions Bind(ConfigSection section)
    {
        var name = section.String("name");
        if (name is null && !section.Has("name"))
        {
            section.Missing("name");
        }
        else if (name is not null && name.Trim().Length == 0)
        {
            section.Error("name", "must not be empty");
        }

        var hash = section.String("password_hash");
        if (hash is null && !section.Has("password_hash"))
        {
            section.Missing("password_hash");
        }
        else if (hash is not null && hash.Trim().Length == 0)
        {
            section.Error("password_hash", "must not be empty");
        }
        else if (hash is not null && !LooksLikePasswordHash(hash))
        {
            // Never quote the value: a password pasted here by mistake must not reach the logs.
            section.Error("password_hash", "must be a hash made with \"kojicomposerd hash-password\" (pbkdf2-sha256$iterations$salt$hash), not a password");
        }

        return new WebUserOptions
        {
            Name = name ?? "",
            PasswordHash = hash ?? "",
            Role = section.Choice("role", WebRole.ReadOnly, Roles),
        };
    }

    // The shape of the scheduler's WebPasswordHash format; the scheduler verifies the hash itself.
    private static bool LooksLikePasswordHash(string hash)
    {
        var parts = hash.Split('$');
        return parts.Length == 4
            && parts[0] == "pbkdf2-sha256"
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var iterations) && iterations > 0
            && IsBase64(parts[2]) && IsBase64(parts[3]);
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return text.Length > 0 && Convert.TryFromBase64String(text, buffer, out var written) && written > 0;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Name = {Name}, PasswordHash = (not shown), Role = {Role}");
        return true;
    }
}
