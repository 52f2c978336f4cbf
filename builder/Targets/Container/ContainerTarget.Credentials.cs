using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets.Container;

public sealed partial class ContainerTarget
{
    private const string AuthFileName = "auth.json";

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration()
    {
        var problems = new List<string>();
        if (SkopeoProcess.Find(_options.Skopeo).Problem is { } skopeo)
        {
            problems.Add($"[builder.targets.container] skopeo: {skopeo}");
        }

        if (_options.AuthFile is { } authFile && Unreadable(authFile) is { } authProblem)
        {
            problems.Add($"[builder.targets.container] auth_file_path: cannot read \"{authFile}\": {authProblem}");
        }

        if (_options.PasswordFile is { } passwordFile)
        {
            try
            {
                _ = ReadPassword(passwordFile);
            }
            catch (TargetFailedException e)
            {
                problems.Add(e.Message);
            }
        }

        if (_options.CertDirectory is { } certs && !Directory.Exists(certs))
        {
            problems.Add($"[builder.targets.container] cert_path: \"{certs}\" is not a directory");
        }

        return problems;
    }

    /// <summary>The auth file skopeo gets: the configured one; or, for <c>username</c> + <c>password_file</c>, a new
    /// containers auth.json (mode 0600, in the scratch directory, deleted with it) for the reference's registry, so
    /// the password is never on a command line (/proc/PID/cmdline is world-readable); or null (skopeo's own lookup).
    /// The password and its encoding go to <paramref name="secrets"/>, for masking skopeo's messages.</summary>
    private string? AuthFileFor(ContainerReference reference, string scratch, List<string> secrets)
    {
        if (_options.Username is not { } username || _options.PasswordFile is not { } passwordFile)
        {
            return _options.AuthFile;
        }

        var password = ReadPassword(passwordFile);
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        secrets.AddRange([password, token]);
        var json = new JsonObject { ["auths"] = new JsonObject { [reference.Registry] = new JsonObject { ["auth"] = token } } };
        var path = Path.Combine(scratch, AuthFileName);
        var file = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, file))
        {
            using var writer = new Utf8JsonWriter(stream);
            json.WriteTo(writer);
        }

        return path;
    }

    /// <summary>The password: the whole file without its trailing line break.</summary>
    private static string ReadPassword(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigFailure($"[builder.targets.container] password_file: cannot read \"{path}\": {e.Message}");
        }

        var password = text.TrimEnd('\r', '\n');
        return password.Length > 0 ? password : throw ConfigFailure($"[builder.targets.container] password_file: \"{path}\" is empty");
    }

    private static string? Unreadable(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static TargetFailedException ConfigFailure(string reason) => new(JobErrorCodes.InvalidTargetConfig, reason);
}
