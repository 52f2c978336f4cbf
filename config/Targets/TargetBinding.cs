using System.Text.Json;
using System.Text.RegularExpressions;
using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>Checks shared by the target sections. Credential files are parsed to prove they hold what the target
/// needs; their values are never put in an error (only key names and the file's path).</summary>
internal static partial class TargetBinding
{
    /// <summary>An S3/GCS bucket name (3–63 of lower-case letters, digits, '.', '-'); null when absent or invalid.</summary>
    public static string? BucketName(ConfigSection section, string key)
    {
        var name = section.String(key);
        if (name is not null && !BucketPattern().IsMatch(name))
        {
            section.Error(key, $"is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-'), got {ConfigText.Quote(name)}");
            return null;
        }

        return name;
    }

    /// <summary>Proves the TOML file <paramref name="path"/> has non-empty string <paramref name="keys"/>.</summary>
    public static void CheckTomlSecrets(ConfigSection section, string key, string path, params string[] keys)
    {
        try
        {
            CredentialFiles.ReadToml(path, keys);
        }
        catch (CredentialFileException e)
        {
            section.Error(key, e.Message);
        }
    }

    /// <summary>Proves the JSON file <paramref name="path"/> is an object with non-empty string <paramref name="keys"/>.</summary>
    public static void CheckJsonSecrets(ConfigSection section, string key, string path, params string[] keys)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                section.Error(key, $"{ConfigText.Quote(path)} is not a JSON object");
                return;
            }

            var missing = keys.Where(k => !document.RootElement.TryGetProperty(k, out var v) || v.ValueKind != JsonValueKind.String || v.GetString() is not { Length: > 0 }).ToList();
            if (missing.Count > 0)
            {
                section.Error(key, $"{ConfigText.Quote(path)} has no {string.Join(" and no ", missing)} (non-empty strings)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            section.Error(key, $"cannot read {ConfigText.Quote(path)}: {e.Message}");
        }
        catch (JsonException)
        {
            // The parser's message quotes the text around the fault, which may be the private key: leave it out.
            section.Error(key, $"{ConfigText.Quote(path)} is not valid JSON");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();
}
